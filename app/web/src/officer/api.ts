import { ApiError, apiRequest } from "../apiRequest.js";
import type { OpenPermitType } from "../../../shared/openPermitTypes.js";
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
  /** Its name when the service knows it (the town's own too, as its profile names it), else its id. */
  role: string;
  roleId?: string;
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

export type { OpenPermitType };

/** What POST /api/permits takes in its `application` field (app/server/services/permits/applications.ts). */
export interface PermitApplication {
  municipalityId: number;
  type: string;
  parcel: string;
  description: { th?: string; en?: string };
  applicant: { name: string; nationalId: string; phone: string; address: string };
}

/** The public fields an amendment changes; what it leaves out stays as the current version states it. */
export interface PermitChanges {
  parcel?: string;
  description?: { th?: string; en?: string };
  reason: string;
}

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
  /** The StepDecision to sign; `noteHash` is the SHA-256 of the note (a rejection's reasons) that goes with it. */
  stepTypedData: (number: string, decision: Decision, noteHash?: string) =>
    api<TypedDataPayload>("GET", `${permitPath(number)}/steps/next/typed-data?${new URLSearchParams({ decision, ...(noteHash ? { noteHash } : {}) })}`),
  /** The signed decision; a note goes with it as a file (sealed by the service), the decision as the field `signed`. */
  decide: (number: string, decision: Decision, typed: TypedDataPayload, signature: string, note?: File) => {
    const m = typed.message as Record<string, unknown>;
    const signed = { stepIndex: m.stepIndex, decision, noteHash: m.noteHash, nonce: m.nonce, deadline: m.deadline, signature };
    if (!note) return api("POST", `${permitPath(number)}/steps/decisions`, signed);
    const form = new FormData();
    form.append("signed", JSON.stringify(signed));
    form.append("file", note, note.name);
    return api("POST", `${permitPath(number)}/steps/decisions`, form);
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
  /** The certificate PDF, for an officer of the permit (the session cookie goes with the link). */
  certificateUrl: (number: string) => `${permitPath(number)}/certificate.pdf`,
  /** The service renders the next version with the changes; the Amendment to sign covers it and the reason. */
  amendmentDraft: (number: string, changes: PermitChanges) =>
    api<{ draftId: string; version: number; typedData: TypedDataPayload }>("POST", `${permitPath(number)}/amendments/drafts`, changes),
  amend: (number: string, draftId: string, typed: TypedDataPayload, signature: string) => {
    const m = typed.message as Record<string, unknown>;
    return api<{ version: number; certificateSha256: string }>("POST", `${permitPath(number)}/amendments`, { draftId, nonce: m.nonce, deadline: m.deadline, signature });
  },
  /** The types a municipality takes applications for now. */
  permitTypes: (municipalityId: number) => api<{ types: OpenPermitType[] }>("GET", `/api/permits/types?municipality=${municipalityId}`),
  /** An application taken at the counter: the same as a resident's POST /api/permits, with its documents. */
  apply: (application: PermitApplication, documents: File[]) => {
    const form = new FormData();
    form.append("application", JSON.stringify(application));
    for (const document of documents) form.append("file", document, document.name);
    return api<{ number: string; trackingCode: string; txHash: string }>("POST", "/api/permits", form);
  },
  revocationDraft: (number: string, reasonCode: number, reason: string) =>
    api<{ draftId: string; typedData: TypedDataPayload }>("POST", `${permitPath(number)}/revocation/drafts`, { reasonCode, reason }),
  revoke: (number: string, draftId: string, typed: TypedDataPayload, signature: string) => {
    const m = typed.message as Record<string, unknown>;
    return api("POST", `${permitPath(number)}/revocation`, { draftId, nonce: m.nonce, deadline: m.deadline, signature });
  },
};
