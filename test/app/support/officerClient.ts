import { SiweMessage } from "siwe";
import { Wallet, type TransactionRequest } from "ethers";
import { devAccounts, type DevRole } from "../../../app/server/chain/devAccounts.js";
import { rpcProvider } from "./service.js";

/**
 * An officer (or any client) talking to the service over HTTP as the web app does: signs in with
 * Sign-In with Ethereum and keeps the session cookie; signs transactions and typed data with its own key.
 */
export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export class ApiClient {
  cookie: string | null = null;

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const init: RequestInit = { method, headers: { ...headers, ...(this.cookie ? { cookie: this.cookie } : {}) } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0];
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (XML, CSV, PDF…): the text as it is
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  get(path: string, headers?: Record<string, string>): Promise<ApiAnswer> {
    return this.request("GET", path, undefined, headers);
  }

  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer> {
    return this.request("POST", path, body, headers);
  }
}

/** A SIWE message for `wallet` with a nonce fresh from the service. */
export async function signInMessage(client: ApiClient, wallet: { address: string }, overrides: Partial<SiweMessage> = {}): Promise<string> {
  const { body } = await client.get("/api/auth/nonce");
  return new SiweMessage({
    domain: body.domain,
    address: wallet.address,
    statement: body.statement,
    uri: body.uri,
    version: "1",
    chainId: body.chainId,
    nonce: body.nonce,
    issuedAt: new Date().toISOString(),
    ...overrides,
  }).prepareMessage();
}

export class OfficerClient extends ApiClient {
  constructor(
    baseUrl: string,
    readonly wallet: Wallet,
  ) {
    super(baseUrl);
  }

  /** One of the embedded chain's demo officers. */
  static demo(baseUrl: string, role: DevRole, rpcUrl?: string): OfficerClient {
    const account = devAccounts().find((a) => a.role === role)!;
    return new OfficerClient(baseUrl, new Wallet(account.privateKey, rpcUrl ? rpcProvider(rpcUrl) : null));
  }

  async signIn(): Promise<ApiAnswer> {
    const message = await signInMessage(this, this.wallet);
    const answer = await this.post("/api/auth/sign-in", { message, signature: await this.wallet.signMessage(message) });
    if (answer.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(answer.body)}`);
    return answer;
  }

  /** Signs `request` with the officer's own key (nonce and fees from the chain), without sending it. */
  async signTransaction(request: TransactionRequest): Promise<string> {
    const populated = await this.wallet.populateTransaction(request);
    return this.wallet.signTransaction(populated);
  }
}
