import { apiRequest, postJson } from "../apiRequest.js";

/** What GET /api/complaints/form answers (services/complaints/filingForm.ts). */
export interface MapArea {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface FormAttribute {
  code: string;
  datatype: string;
  required: boolean;
  description: string;
  descriptionTh: string;
  values?: Array<{ key: string; name: string; nameTh: string }>;
}

export interface FormCategory {
  code: string;
  name: string;
  nameTh: string;
  description: string;
  descriptionTh: string;
  slaSeconds: number;
  attributes: FormAttribute[];
}

export interface FilingForm {
  municipalityId: number;
  area: MapArea | null;
  categories: FormCategory[];
}

/** The public record and what only the code's holder may read (services/complaints/details.ts). */
export interface TrackedComplaint {
  complaint: {
    complaintId: string;
    /** The town the complaint was filed with. */
    municipalityId?: number;
    serviceCode: string;
    serviceName: string;
    status: number;
    detailedStatus: string;
    filedAt: number;
    dueAt: number;
    reopenCount: number;
  };
  history: Array<{ status: string; at: number; dataHash: string | null; txHash: string; blockNumber: number }>;
  content: { description: string; addressString: string | null; lat: number | null; long: number | null; photoSha256?: string } | null;
  contentMatchesChain: boolean | null;
  attachments: Array<{ kind: string; txHash: string; sha256: string }>;
  /** False while the filing is not yet on the chain as deep as the service waits for; `filing` says how far it got. */
  confirmed?: boolean;
  filing?: { state: "sent" | "mined" | "refused"; confirmations: number };
}

/** The filing form of a municipality: the resident's page asks for the town they chose (towns/chosenTown.ts). */
export const formOf = (municipalityId: number) => apiRequest<FilingForm>(`/api/complaints/form?municipality=${municipalityId}`);

/** Files the complaint (multipart, so a photo can go with it); answers the tracking code, shown once. */
export function fileComplaint(fields: Record<string, string>, photo: File | null): Promise<{ complaintId: string; trackingCode: string }> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== "") body.append(name, value);
  if (photo) body.append("photo", photo, photo.name);
  return apiRequest("/api/complaints", { method: "POST", body });
}

// The code travels in a header, never in a URL that a server log would keep.
const withCode = (code: string) => ({ "x-tracking-code": code.trim() });

export const track = (code: string) => apiRequest<TrackedComplaint>("/api/complaints/track", { headers: withCode(code) });

export const confirmFix = (code: string) => postJson<{ txHash: string; details: TrackedComplaint }>("/api/complaints/track/confirm", {}, withCode(code));

export const reopenComplaint = (code: string, reason: string) =>
  postJson<{ txHash: string; trackingCode: string; details: TrackedComplaint }>("/api/complaints/track/reopen", reason.trim() ? { reason } : {}, withCode(code));

/** Statuses in which the municipality still owes work (ComplaintLedger's open mask): the SLA clock runs. */
export const OPEN_STATUSES = ["filed", "acknowledged", "in_progress", "reopened"];
