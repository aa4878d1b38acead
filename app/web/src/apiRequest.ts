import { CATALOGUES, type I18n, type MessageKey } from "./i18n/index.js";

/**
 * Calls to the ledger's own API, for every page (the officer console's `api` too). An error answer
 * `{ error: { code, message } }` becomes an ApiError carrying the code, which the page says in the
 * reader's language (errorText here, or the console's status line); a network failure is code NETWORK.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string = code,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function apiRequest<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: "application/json", ...(init.headers ?? {}) } });
  } catch (error) {
    throw new ApiError("NETWORK", 0, String(error));
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!response.ok) throw new ApiError(body?.error?.code ?? `HTTP_${response.status}`, response.status, body?.error?.message ?? response.statusText);
  return body as T;
}

/** JSON in, JSON out. */
export const postJson = <T>(path: string, body: unknown, headers: Record<string, string> = {}) =>
  apiRequest<T>(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

/**
 * An error code in the reader's language: `<area>.error.<CODE>` when the area's catalogue has it,
 * else the area's generic sentence naming the code (so an officer on the phone can still look it up).
 */
export function errorText(i18n: I18n, area: "complaints" | "funds", error: unknown): string {
  const code = error instanceof ApiError ? error.code : "NETWORK";
  const key = `${area}.error.${code}`;
  if (key in CATALOGUES[i18n.lang]) return i18n.t(key as MessageKey);
  return i18n.t(`${area}.errorGeneric` as MessageKey, { code });
}
