import { createServer, STATUS_CODES, type RequestListener, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { AppError } from "../errors.js";
import { errorBody } from "./errorHandler.js";

/**
 * The ledger's HTTP server: `listener` (the app with its fast paths) behind Node's parser, whose own
 * refusals are answered in the API's error shape with a code of the registry, like every other refusal,
 * instead of Node's bare status line — a malformed request line, an unknown method, a bad header or
 * chunk, headers past 16 KiB (the URL and cookies count), a request that does not arrive in time, an
 * HTTP/1.1 request without Host, a CONNECT. They reach no route, so the shape is the API's on every
 * path, /open311 too.
 */
export function createLedgerServer(listener: RequestListener): Server {
  // Node would answer a Host-less HTTP/1.1 request itself (RFC 9112 wants a 400): it is refused here.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    if (req.headers.host === undefined && req.httpVersion === "1.1") {
      const { status, headers, body } = refusalOf(new AppError("REQUEST_MALFORMED", "An HTTP/1.1 request names its Host."));
      res.writeHead(status, headers).end(body);
      return;
    }
    listener(req, res);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A client that went away, or a connection already answering: nothing can be said any more.
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const refusal =
      error.code === "HPE_HEADER_OVERFLOW"
        ? new AppError("REQUEST_HEADERS_TOO_LARGE")
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? new AppError("REQUEST_TIMEOUT")
          : new AppError("REQUEST_MALFORMED");
    socket.end(rawAnswer(refusal));
  });
  // This server is no proxy: a tunnel is asked of a route that does not exist.
  server.on("connect", (_req, socket: Duplex) => socket.end(rawAnswer(new AppError("ROUTE_NOT_FOUND"))));
  return server;
}

function refusalOf(refusal: AppError): { status: number; headers: Record<string, string>; body: string } {
  const body = JSON.stringify(errorBody(refusal));
  const headers = { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)), Connection: "close" };
  return { status: refusal.status, headers, body };
}

/** A refusal as the whole HTTP message, for a socket that has no response object. */
function rawAnswer(refusal: AppError): string {
  const { status, headers, body } = refusalOf(refusal);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n${body}`;
}
