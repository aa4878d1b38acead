import type { IncomingMessage } from "node:http";
import { ipKeyGenerator } from "express-rate-limit";
import proxyaddr from "proxy-addr";

/**
 * Who a request comes from, for the limits on public writes (clientLimits.ts) and Express's `req.ip`
 * alike: the address of the connection, or, behind reverse proxies the operator names (TRUST_PROXY),
 * the address the nearest untrusted hop of X-Forwarded-For gives. Without TRUST_PROXY the header is
 * ignored: any client may write it, and a limit keyed on it would be a limit on nobody.
 *
 * TRUST_PROXY is off (false), a number of proxy hops in front of the service, or a list of the proxies'
 * addresses and CIDRs (and proxy-addr's names loopback, linklocal, uniquelocal), as Express reads it.
 */
export type TrustProxy = false | number | string[];

/** Whether the hop `hop` (0: the connection), at `address`, is a proxy whose X-Forwarded-For is believed. */
export type TrustFunction = (address: string, hop: number) => boolean;

/** TRUST_PROXY as a function, which `app.set("trust proxy", …)` takes as it is: one reading for both paths. */
export function trustFunctionOf(setting: TrustProxy): TrustFunction {
  if (setting === false) return proxyaddr.compile([]);
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  return proxyaddr.compile(setting);
}

/** The setting written as TRUST_PROXY says it ("off", "2", "loopback, 10.0.0.0/8"); throws on what proxy-addr refuses. */
export function parseTrustProxy(text: string | undefined): TrustProxy {
  const value = (text ?? "").trim();
  if (value === "" || /^(off|false)$/i.test(value)) return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(on|true)$/i.test(value)) {
    // Express's `true` believes the left-most address, which the client writes itself.
    throw new Error('"true" would believe any X-Forwarded-For: give the number of proxies in front of the service, or their addresses');
  }
  const list = value.split(",").map((entry) => entry.trim()).filter(Boolean);
  proxyaddr.compile(list);
  return list;
}

/**
 * The key a client's writes are counted under: its address (as trusted above), an IPv6 client by its
 * /56 prefix — one subscriber holds a whole prefix and could otherwise count as millions of clients.
 */
export function clientKeyOf(req: IncomingMessage, trust: TrustFunction): string {
  const address = proxyaddr(req, trust);
  return address ? ipKeyGenerator(address) : "unknown";
}
