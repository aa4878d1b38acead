import { useEffect, useState } from "preact/hooks";
import { PermitDetails } from "../components/PermitDetails.js";
import { Value } from "../components/Message.js";
import { VerdictHeadline } from "../components/VerdictPanel.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { checkPermit, type PermitCheck } from "../verify/checkPermit.js";

/** /permits/:number — the public record of one permit, its trail and its legal clock. */
export function PermitPage(props: { number: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ result?: PermitCheck; error?: MessageKey }>({});
  useEffect(() => {
    let current = true;
    setState({});
    checkPermit(props.number).then(
      (result) => current && setState({ result }),
      () => current && setState({ error: "errorApi" }),
    );
    return () => {
      current = false;
    };
  }, [props.number]);

  const { result, error } = state;
  return (
    <>
      <h1>
        {t("permitTitle")} <Value>{props.number}</Value>
      </h1>
      <div role="status" aria-live="polite" aria-busy={!result && !error} data-testid="verdict">
        {!result && !error && <p>{t("loading")}</p>}
        {error && <p class="error">{t(error)}</p>}
        {result && !result.permit && <p>{t("permitNotFound")}</p>}
        {result?.permit && <VerdictHeadline verdict={result.verdict} />}
      </div>
      {result?.permit && <PermitDetails permit={result.permit} />}
    </>
  );
}
