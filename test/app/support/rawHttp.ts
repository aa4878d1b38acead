import { connect } from "node:net";

/**
 * HTTP/1.1 spoken byte by byte, for tests that send what no well-behaved client library would: bad
 * percent-escapes and raw bytes in the request line, unknown methods, headers of any size, bodies that
 * disagree with their headers. One connection per request (`Connection: close`); the answer is read
 * until the server closes it.
 */
export interface RawRequest {
  method: string;
  /** The request target exactly as sent: nothing is encoded. */
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
  /** The protocol of the request line (default HTTP/1.1). */
  version?: string;
  /** Leave the Host header out (HTTP/1.1 requires it). */
  withoutHost?: boolean;
}

export interface RawAnswer {
  status: number;
  /** Header names in lower case; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/** The request's bytes on the wire; `Host`, `Content-Length` and `Connection` are added unless given (or told not to). */
export function requestBytes(request: RawRequest): Buffer {
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const headers = [...request.headers];
  if (!names.has("host") && !request.withoutHost) headers.unshift(["Host", "localhost"]);
  if (request.body && !names.has("content-length") && !names.has("transfer-encoding")) headers.push(["Content-Length", String(request.body.length)]);
  if (!names.has("connection")) headers.push(["Connection", "close"]);
  const head = `${request.method} ${request.target} ${request.version ?? "HTTP/1.1"}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), request.body ?? Buffer.alloc(0)]);
}

/**
 * Sends `request` to `port` on the loopback interface and reads the first answer. A server may answer
 * and close before it has read the whole body (a refusal by Content-Length); the answer then stands
 * even though the rest of the body could not be written.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 20_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const answer = parseAnswer(Buffer.concat(chunks));
      if (answer) resolve(answer);
      else reject(error ?? new Error(`no HTTP answer (${Buffer.concat(chunks).length} bytes before the connection closed)`));
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      // A whole answer is enough: the rest of a refused body need not be written.
      if (parseAnswer(Buffer.concat(chunks), true)) finish();
    });
    socket.on("error", (error) => finish(error));
    socket.on("close", () => finish());
    socket.write(requestBytes(request), () => {});
  });
}

/** The first answer in `bytes`, or null while it is incomplete; `complete` requires its whole body. */
export function parseAnswer(bytes: Buffer, complete = false): RawAnswer | null {
  const headEnd = bytes.indexOf("\r\n\r\n");
  if (headEnd === -1) return null;
  const [statusLine, ...lines] = bytes.toString("latin1", 0, headEnd).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!status) return null;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const rest = bytes.subarray(headEnd + 4);
  if (headers["transfer-encoding"]?.includes("chunked")) {
    const body = dechunked(rest);
    if (body) return { status, headers, body };
    return complete ? null : { status, headers, body: rest };
  }
  const length = headers["content-length"] === undefined ? null : Number(headers["content-length"]);
  if (length !== null && rest.length >= length) return { status, headers, body: rest.subarray(0, length) };
  // Without a length the body ends with the connection (or is empty, for 204 and 304).
  if (length === null && (status === 204 || status === 304)) return { status, headers, body: Buffer.alloc(0) };
  return complete ? null : { status, headers, body: rest };
}

/** A chunked body's bytes, or null until its last chunk has arrived. */
function dechunked(bytes: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", at);
    if (lineEnd === -1) return null;
    const size = parseInt(bytes.toString("latin1", at, lineEnd), 16);
    if (Number.isNaN(size)) return null;
    if (size === 0) return Buffer.concat(parts);
    if (bytes.length < lineEnd + 2 + size + 2) return null;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
