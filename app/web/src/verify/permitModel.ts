import type { Verdict } from "../../../shared/proofBundle.js";

/**
 * The permit API's answer, read tolerantly: other work shapes GET /api/permits/:number, so the page takes
 * what it recognises and shows what is there. Every field but the number may be absent.
 */
export interface PermitModel {
  number: string;
  type?: string | { th?: string; en?: string };
  parcel?: string;
  /** What the permit is for, as its current version states it. */
  description?: string | { th?: string; en?: string };
  status?: string;
  version?: number;
  municipality?: string | { th?: string; en?: string };
  issuedAt?: string;
  /** The end of validity (the API gives it with the certificate). */
  validUntil?: string;
  /** Past its end of validity, as the chain's clock says. */
  expired?: boolean;
  /** PermitRegistry's reason code of a revoked permit (PERMIT_REVOCATION_REASONS). */
  revocationReason?: number;
  verdict?: Verdict;
  trail: TrailEntry[];
  clock?: LegalClock;
  certificateUrl?: string;
  /** SHA-256 of the current certificate PDF, when the API gives it: the page checks it on the chain. */
  certificateSha256?: string;
  /** The data hash (the QR's `h`) of each version the API lists. */
  dataHashes: Map<number, string>;
  /** Read from the chain alone (the service did not answer): no trail, no type's name, no download. */
  chainOnly?: boolean;
}

export interface TrailEntry {
  /** What happened, as the API names it (applied, completed, decided, issued, …). */
  step?: string;
  /** A decided step's decision: approve or reject. */
  decision?: string;
  role?: string;
  action?: string;
  officer?: string;
  at?: string;
  txHash?: string;
}

export interface LegalClock {
  completedAt?: string;
  decidedAt?: string;
  days?: number;
  statuteDays: number;
  withinStatute?: boolean;
}

const VERDICTS = ["valid", "revoked", "superseded", "pending", "unknown"];
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined);
const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const localized = (value: unknown): string | { th?: string; en?: string } | undefined =>
  text(value) ?? (value && typeof value === "object" && ("th" in value || "en" in value) ? (value as { th?: string; en?: string }) : undefined);
const hash = (value: unknown): string | undefined => (typeof value === "string" && /^0x[0-9a-fA-F]{64}$/.test(value) ? value.toLowerCase() : undefined);

export function permitModelOf(answer: Record<string, any>, fallbackNumber: string): PermitModel {
  // The permit may be the answer itself or nested under `permit`; the nested fields win.
  const p: Record<string, any> = { ...answer, ...(answer.permit && typeof answer.permit === "object" ? answer.permit : {}) };
  const certificate = p.certificate && typeof p.certificate === "object" ? p.certificate : {};
  const version = num(p.version) ?? num(certificate.version);

  const dataHashes = new Map<number, string>();
  const versions: unknown[] = Array.isArray(p.versions) ? p.versions : Array.isArray(p.certificates) ? p.certificates : [];
  for (const entry of versions) {
    if (entry && typeof entry === "object") {
      const e = entry as Record<string, unknown>;
      const v = num(e.version);
      const h = hash(e.dataHash) ?? hash((e.certificate as Record<string, unknown> | undefined)?.dataHash);
      if (v !== undefined && h) dataHashes.set(v, h);
    }
  }
  const currentHash = hash(certificate.dataHash) ?? hash(p.dataHash);
  if (version !== undefined && currentHash && !dataHashes.has(version)) dataHashes.set(version, currentHash);

  const trailSource: unknown[] = Array.isArray(p.trail) ? p.trail : Array.isArray(p.steps) ? p.steps : Array.isArray(p.approvals) ? p.approvals : [];
  const trail = trailSource
    .filter((entry): entry is Record<string, unknown> => !!entry && typeof entry === "object")
    .map((e) => ({
      role: text(e.role) ?? text(e.roleName),
      step: text(e.step),
      decision: text(e.decision),
      action: text(e.action) ?? text(e.step) ?? text(e.event) ?? text(e.decision),
      officer: text(e.officerName) ?? text(e.officer) ?? text(e.by) ?? text(e.address),
      at: text(e.time) ?? text(e.at) ?? text(e.decidedAt) ?? text(e.timestamp),
      txHash: hash(e.txHash) ?? hash(e.transactionHash),
    }));

  const c = p.legalClock ?? p.clock;
  const clock =
    c && typeof c === "object"
      ? {
          completedAt: text(c.completedAt),
          decidedAt: text(c.decidedAt),
          days: num(c.days),
          statuteDays: num(c.statuteDays) ?? 45,
          withinStatute: typeof c.withinStatute === "boolean" ? c.withinStatute : undefined,
        }
      : undefined;

  const verdict = [answer.verdict, p.verdict].find((v) => VERDICTS.includes(v)) as Verdict | undefined;
  return {
    number: text(p.number) ?? text(p.permitNumber) ?? fallbackNumber,
    type: localized(p.permitType) ?? localized(p.type),
    parcel: text(p.parcel) ?? text(p.area),
    description: localized(p.description),
    status: text(p.status) ?? text(p.state),
    version,
    municipality: localized(p.municipality?.name) ?? localized(p.municipality),
    issuedAt: text(p.issuedAt) ?? text(certificate.issuedAt),
    validUntil: text(p.validUntil) ?? text(certificate.validUntil),
    ...(p.expired === true ? { expired: true } : {}),
    ...(num(p.revocationReason) ? { revocationReason: num(p.revocationReason) } : {}),
    verdict,
    trail,
    clock,
    certificateUrl: text(certificate.url) ?? text(p.certificateUrl),
    certificateSha256: hash(certificate.sha256) ?? hash(p.certificateSha256),
    dataHashes,
  };
}
