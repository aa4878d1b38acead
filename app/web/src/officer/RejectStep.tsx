import { useState } from "preact/hooks";
import { Message, Value } from "../components/Message.js";
import { useI18n } from "../i18n/index.js";

/**
 * A rejection, which ends the application for good: first its reasons (the note signed with the
 * decision, sealed by the service), then a confirmation that names the permit; only then is the
 * officer's key asked to sign. Cancel at either stage leaves nothing signed.
 */
export function RejectStep(props: { number: string; disabled: boolean; onReject: (reason: string) => void }) {
  const { t } = useI18n();
  const [stage, setStage] = useState<"closed" | "reason" | "confirm">("closed");
  const [reason, setReason] = useState("");
  const cancel = () => {
    setStage("closed");
    setReason("");
  };

  if (stage === "closed") {
    return (
      <button type="button" class="officer-danger" disabled={props.disabled} onClick={() => setStage("reason")}>
        {t("officer.reject")}
      </button>
    );
  }
  return (
    <form
      class="officer-revoke"
      data-testid="reject-form"
      data-stage={stage}
      onSubmit={(event) => {
        event.preventDefault();
        if (stage === "reason") return setStage("confirm");
        props.onReject(reason.trim());
        cancel();
      }}
    >
      <h5>{t("officer.rejectTitle")}</h5>
      <label>
        {t("officer.rejectReason")}
        <textarea
          name="reason"
          rows={3}
          required
          maxLength={4000}
          value={reason}
          readOnly={stage === "confirm"}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
      </label>
      {stage === "confirm" && (
        <p class="officer-warning" role="alert">
          <Message id="officer.rejectConfirmText" values={{ number: <Value mono>{props.number}</Value> }} />
        </p>
      )}
      <div class="officer-actions">
        <button type="submit" class={stage === "confirm" ? "officer-danger" : undefined} disabled={props.disabled || reason.trim() === ""}>
          {t(stage === "confirm" ? "officer.rejectConfirm" : "officer.rejectContinue")}
        </button>
        <button type="button" class="officer-link" onClick={cancel}>
          {t("officer.cancel")}
        </button>
      </div>
    </form>
  );
}
