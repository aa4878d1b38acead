import { useState } from "preact/hooks";
import { useI18n } from "../i18n/index.js";
import { ApiError, type PermitChanges } from "./api.js";

type Description = { th?: string; en?: string } | null | undefined;

/**
 * The amendment of an issued permit's public fields (the parcel, the description), with the reason for
 * it: only what the officer changed is sent; the service renders the next version of the certificate,
 * which the issuing authority signs (PermitReview). An amendment that changes nothing is refused here,
 * before the service is asked, and by the service too (422 AMENDMENT_UNCHANGED), whatever the client.
 */
export function AmendPermitForm(props: {
  parcel: string | null;
  description: Description;
  disabled: boolean;
  onAmend: (changes: PermitChanges) => void;
  onRefused: (error: unknown) => void;
}) {
  const { t } = useI18n();
  const [parcel, setParcel] = useState(props.parcel ?? "");
  const [th, setTh] = useState(props.description?.th ?? "");
  const [en, setEn] = useState(props.description?.en ?? "");
  const [reason, setReason] = useState("");

  function submit(event: Event) {
    event.preventDefault();
    const changes: PermitChanges = { reason: reason.trim() };
    if (parcel.trim() !== (props.parcel ?? "")) changes.parcel = parcel.trim();
    if (th.trim() !== (props.description?.th ?? "") || en.trim() !== (props.description?.en ?? "")) {
      changes.description = { ...(th.trim() ? { th: th.trim() } : {}), ...(en.trim() ? { en: en.trim() } : {}) };
    }
    if (changes.parcel === undefined && changes.description === undefined) {
      return props.onRefused(new ApiError("AMENDMENT_UNCHANGED", 0, "nothing changed"));
    }
    props.onAmend(changes);
  }

  return (
    <form class="officer-revoke" data-testid="amend-form" onSubmit={submit}>
      <h5>{t("officer.amendTitle")}</h5>
      <p class="officer-hint">{t("officer.amendHint")}</p>
      <label>
        {t("officer.fieldParcel")}
        <input name="parcel" required maxLength={200} value={parcel} onInput={(event) => setParcel(event.currentTarget.value)} />
      </label>
      <label>
        {t("officer.amendDescriptionTh")}
        <textarea name="descriptionTh" rows={2} maxLength={1000} value={th} onInput={(event) => setTh(event.currentTarget.value)} />
      </label>
      <label>
        {t("officer.amendDescriptionEn")}
        <textarea name="descriptionEn" rows={2} maxLength={1000} value={en} onInput={(event) => setEn(event.currentTarget.value)} />
      </label>
      <label>
        {t("officer.amendReason")}
        <textarea name="reason" rows={2} required maxLength={4000} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
      </label>
      <button type="submit" disabled={props.disabled}>
        {t("officer.amend")}
      </button>
    </form>
  );
}
