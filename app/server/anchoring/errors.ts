/**
 * A record the queue refuses, with a stable code and the HTTP status the API answers with. Nothing is
 * written when this is thrown.
 */
export type AnchorInputErrorCode =
  | "ANCHOR_INVALID_SHA256"
  | "ANCHOR_INVALID_MUNICIPALITY"
  | "ANCHOR_INVALID_KIND"
  | "ANCHOR_INVALID_CID"
  | "ANCHOR_INVALID_META"
  | "ANCHOR_CLAIM_TAKEN";

export class AnchorInputError extends Error {
  readonly status: number;

  constructor(
    readonly code: AnchorInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AnchorInputError";
    this.status = code === "ANCHOR_CLAIM_TAKEN" ? 409 : 400;
  }
}
