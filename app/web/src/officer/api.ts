import { ApiError, apiRequest } from "../apiRequest.js";
import type { TypedDataPayload } from "../wallet/types.js";

/**
 * The officer's side of the API (docs/permits.md), through the app's one API client (../apiRequest.ts),
 * with the session cookie (HttpOnly, SameSite=Strict: the browser sends it, no script reads it).
 */
export { ApiError };

/** JSON in and out; a FormData body (a file upload) goes as multipart, with the boundary the browser writes. */
export function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const raw = body === undefined || body instanceof FormData;
  return apiRequest<T>(path, {
    method,
    credentials: "same-origin",
    headers: raw ? {} : { "content-type": "application/json" },
    body: raw ? (body as FormData | undefined) : JSON.stringify(body),
  });
}

export interface OfficerRole {
  municipalityId: number;
  role: string;
}

export interface OfficerSession {
  address: string;
  chainId: number;
  expiresAt: number;
  roles: OfficerRole[];
}

export interface QueueItem {
  number: string;
  municipalityId: number;
  type: string;
  state: string;
  action: "complete" | "decide" | "issue";
  stepIndex: number | null;
  role: string | null;
  appliedAt: string;
  completedAt: string | null;
}

export type Decision = "approve" | "reject";

const permitPath = (number: string) => `/api/permits/${encodeURIComponent(number)}`;

export const officerApi = {
  nonce: () => api<{ nonce: string; domain: string; uri: string; chainId: number; statement: string }>("GET", "/api/auth/nonce"),
  signIn: (message: string, signature: string) => api<OfficerSession>("POST", "/api/auth/sign-in", { message, signature }),
  /** The open session, or null when there is none (401). */
  session: () => api<OfficerSession>("GET", "/api/auth/session").catch((error) => (error instanceof ApiError && error.status === 401 ? null : Promise.reject(error))),
  signOut: () => api<void>("POST", "/api/auth/sign-out"),
  queue: () => api<{ officer: string; permits: QueueItem[] }>("GET", "/api/permits/queue"),
  /** The permit with the applicant's sealed data, which officers of the permit may read. */
  permit: (number: string) => api<Record<string, any>>("GET", `${permitPath(number)}/private`),
  /** The Completion to sign: the application with the documents it holds now (starts the legal clock). */
  completionTypedData: (number: string) => api<TypedDataPayload>("GET", `${permitPath(number)}/completion/typed-data`),
  complete: (number: string, typed: TypedDataPayload, signature: string) => {
    const m = typed.message as Record<string, unknown>;
    return api("POST", `${permitPath(number)}/complete`, { documentCount: m.documentCount, nonce: m.nonce, deadline: m.deadline, signature });
  },
  stepTypedData: (number: string, decision: Decision) =>
    api<TypedDataPayload>("GET", `${permitPath(number)}/steps/next/typed-data?decision=${decision}`),
  decide: (number: string, decision: Decision, typed: TypedDataPayload, signature: string) => {
    const m = typed.message as Record<string, unknown>;
    return api("POST", `${permitPath(number)}/steps/decisions`, { stepIndex: m.stepIndex, decision, noteHash: m.noteHash, nonce: m.nonce, deadline: m.deadline, signature });
  },
  /** The service renders and stores the certificate; the Issuance to sign covers its SHA-256 and CID. */
  issuanceDraft: (number: string) =>
    api<{ certificateSha256: string; cid: string; typedData: TypedDataPayload }>("POST", `${permitPath(number)}/certificate/drafts`),
  issue: (number: string, typed: TypedDataPayload, signature: string) => {
    const m = typed.message as Record<string, unknown>;
    return api<{ certificateSha256: string }>("POST", `${permitPath(number)}/certificate`, {
      certificateHash: m.certificateHash,
      nonce: m.nonce,
      deadline: m.deadline,
      signature,
    });
  },
  revocationDraft: (number: string, reasonCode: number, reason: string) =>
    api<{ draftId: string; typedData: TypedDataPayload }>("POST", `${permitPath(number)}/revocation/drafts`, { reasonCode, reason }),
  revoke: (number: string, draftId: string, typed: TypedDataPayload, signature: string) => {
    const m = typed.message as Record<string, unknown>;
    return api("POST", `${permitPath(number)}/revocation`, { draftId, nonce: m.nonce, deadline: m.deadline, signature });
  },
};
