// The ledger API as the CLI asks it: JSON answers, and the API's `{ error: { code, message } }` kept in
// what the CLI reports.
import { CliError } from "./bundleSource.js";

const TIMEOUT_MS = 30_000;

/** The API answered with an error status; `code` is its stable error code when it gave one. */
export class ApiAnswerError extends CliError {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * GET `url`: its JSON, or a CliError that says what went wrong (no answer, no JSON, an error status other
 * than `alsoOk`'s: /api/health answers 503 with the chain's addresses when an engine is down).
 */
export function getJson(url: string, alsoOk: number[] = []): Promise<unknown> {
  return requestJson("GET", url, {}, alsoOk);
}

/** PUT `bytes` to `url` as `contentType`: the answer's JSON, as {@link getJson}. */
export function putBytes(url: string, bytes: Uint8Array, contentType: string): Promise<unknown> {
  return requestJson("PUT", url, { body: bytes, headers: { "content-type": contentType } });
}

async function requestJson(method: string, url: string, init: { body?: Uint8Array; headers?: Record<string, string> } = {}, alsoOk: number[] = []): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { method, body: init.body, headers: { accept: "application/json", ...init.headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new CliError(`the API did not answer ${method} ${url} (${cause})`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiAnswerError(`the API answered ${method} ${url} with HTTP ${response.status} and no JSON`, response.status, undefined);
  }
  if (!response.ok && !alsoOk.includes(response.status)) {
    const error = (body as { error?: { code?: string; message?: string } }).error;
    throw new ApiAnswerError(`the API answered ${method} ${url} with HTTP ${response.status}${error ? `: ${error.code} ${error.message}` : ""}`, response.status, error?.code);
  }
  return body;
}
