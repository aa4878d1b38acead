import { useEffect, useState } from "preact/hooks";
import { AuditEventItem } from "../audit/AuditEventItem.js";
import {
  cliCommand,
  exportParams,
  loadMunicipalities,
  loadTrail,
  positionOf,
  queryOf,
  type AuditMunicipality,
  type AuditQuery,
  type TrailCheck,
  type TrailLoad,
} from "../audit/auditTrail.js";
import { Message, Value } from "../components/Message.js";
import { CATALOGUES, useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { navigate } from "../router.js";

/**
 * /audit — the auditor's page: choose a municipality, optionally a permit number and Thai days; the
 * trail the service answers (who, in which role, what, when, which transaction), its check against the
 * chain, and the export of the same entries as CSV or JSON. The search lives in the URL, so a link to it
 * can be shared; the search runs once the URL names a municipality.
 */
export function AuditPage(props: { url: URL }) {
  const { t } = useI18n();
  const query = queryOf(props.url);
  const [municipalities, setMunicipalities] = useState<AuditMunicipality[] | null | "error">(null);
  const [load, setLoad] = useState<TrailLoad | null>(null);
  const search = props.url.search;

  useEffect(() => {
    loadMunicipalities().then(setMunicipalities, () => setMunicipalities("error"));
  }, []);
  useEffect(() => {
    if (!query) return;
    let current = true;
    setLoad(null);
    loadTrail(query).then((answer) => current && setLoad(answer));
    return () => {
      current = false;
    };
  }, [query?.municipality, query?.permit, query?.from, query?.to]);

  return (
    <>
      <h1>{t("audit.title")}</h1>
      <p class="lead">{t("audit.lead")}</p>
      {municipalities === "error" && <p class="error">{t("errorApi")}</p>}
      {Array.isArray(municipalities) && municipalities.length === 0 && <p>{t("audit.noMunicipalities")}</p>}
      {Array.isArray(municipalities) && municipalities.length > 0 && <SearchForm key={search} municipalities={municipalities} query={query} />}
      {query && <Results query={query} load={load} />}
    </>
  );
}

/** The search, filled from the URL (uncontrolled: what is typed stays while a search loads; a new URL remounts it). */
function SearchForm(props: { municipalities: AuditMunicipality[]; query: AuditQuery | null }) {
  const { t, lang } = useI18n();
  const { query } = props;
  function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const params: Record<string, string> = {};
    for (const name of ["municipality", "permit", "from", "to"]) {
      const value = String(form.get(name) ?? "").trim();
      if (value) params[name] = value;
    }
    navigate(hrefFor("/audit", lang, params));
  }
  return (
    <form class="panel audit-search" onSubmit={submit} aria-labelledby="audit-search-title">
      <h2 id="audit-search-title">{t("audit.searchTitle")}</h2>
      <label for="audit-municipality">{t("audit.municipality")}</label>
      <select id="audit-municipality" name="municipality">
        {props.municipalities.map((m) => (
          <option key={m.id} value={String(m.id)} selected={String(m.id) === query?.municipality}>
            {m[lang]}
          </option>
        ))}
      </select>
      <label for="audit-permit">{t("audit.permitNumber")}</label>
      <input
        id="audit-permit"
        name="permit"
        type="text"
        autocomplete="off"
        spellcheck={false}
        defaultValue={query?.permit ?? ""}
        aria-describedby="audit-permit-hint"
      />
      <p class="hint" id="audit-permit-hint">
        <Message id="audit.permitHint" values={{ example: <Value>{`${props.municipalities[0].code}/BLD/2026/000001`}</Value> }} />
      </p>
      <div class="audit-dates">
        <div>
          <label for="audit-from">{t("audit.from")}</label>
          <input id="audit-from" name="from" type="date" defaultValue={query?.from ?? ""} aria-describedby="audit-dates-hint" />
        </div>
        <div>
          <label for="audit-to">{t("audit.to")}</label>
          <input id="audit-to" name="to" type="date" defaultValue={query?.to ?? ""} aria-describedby="audit-dates-hint" />
        </div>
      </div>
      <p class="hint" id="audit-dates-hint">
        {t("audit.datesHint")}
      </p>
      <div class="actions">
        <button type="submit">{t("audit.search")}</button>
      </div>
    </form>
  );
}

function errorWords(t: (key: MessageKey, values?: Record<string, string | number>) => string, lang: "th" | "en", code: string): string {
  const key = `audit.error.${code}`;
  return key in CATALOGUES[lang] ? t(key as MessageKey) : t("audit.error", { code });
}

function Results(props: { query: AuditQuery; load: TrailLoad | null }) {
  const { t, lang } = useI18n();
  const { load, query } = props;
  const events = load && "events" in load ? load.events : null;
  return (
    <>
      <div role="status" aria-live="polite" aria-busy={load === null} data-testid="audit-status">
        {load === null && <p>{t("audit.loading")}</p>}
        {load && "notFound" in load && <p>{t("audit.permitNotFound")}</p>}
        {load && "error" in load && <p class="error">{errorWords(t, lang, load.error)}</p>}
        {events && <p>{events.length === 0 ? t("audit.none") : t("audit.count", { count: events.length })}</p>}
      </div>
      {load && "check" in load && <ChainCheckPanel check={load.check} query={query} />}
      {events && events.length > 0 && (
        <>
          <ExportPanel query={query} />
          <section class="panel" aria-labelledby="audit-trail-title">
            <h2 id="audit-trail-title">
              {t("audit.trailTitle")}
              {query.permit && (
                <>
                  {" · "}
                  <Value>{query.permit}</Value>
                </>
              )}
            </h2>
            <ol class="timeline audit-trail">
              {events.map((event) => (
                <AuditEventItem
                  key={positionOf(event)}
                  event={event}
                  status={load && "check" in load ? load.check.status.get(positionOf(event)) : undefined}
                  showNumber={!query.permit}
                />
              ))}
            </ol>
          </section>
        </>
      )}
    </>
  );
}

function ChainCheckPanel(props: { check: TrailCheck; query: AuditQuery }) {
  const { t } = useI18n();
  const { check } = props;
  return (
    <section
      class={`panel audit-check audit-check--${check.ok ? "ok" : "failed"}`}
      aria-labelledby="audit-check-title"
      data-testid="chain-check"
      data-ok={String(check.ok)}
    >
      <h2 id="audit-check-title">{t("audit.checkTitle")}</h2>
      <p class="audit-check__verdict">
        {check.ok ? "✓ " : "✗ "}
        {check.ok ? t("audit.checkOk", { count: check.compared }) : t("audit.checkFailed", { count: check.differences })}
      </p>
      {check.missingInApi.length > 0 && (
        <ul>
          {check.missingInApi.map((missing) => (
            <li key={positionOf(missing)}>
              {t("audit.status.missing-in-api")}: <Value>{missing.event}</Value> · {t("audit.block", { block: missing.blockNumber })} ·{" "}
              <code translate={false}>{missing.txHash}</code>
            </li>
          ))}
        </ul>
      )}
      <p class="hint">{t("audit.checkScope", { from: check.fromBlock, to: check.toBlock, chain: check.chainId })}</p>
      <p class="hint">
        <Message id="audit.checkYourself" values={{ flag: <code translate={false}>--rpc</code> }} />
      </p>
      <pre class="audit-cli" translate={false}>
        <code>{cliCommand(props.query, location.origin)}</code>
      </pre>
    </section>
  );
}

function ExportPanel(props: { query: AuditQuery }) {
  const { t } = useI18n();
  const link = (format: "csv" | "json") => `/api/audit/export?${exportParams(props.query, format)}`;
  return (
    <section class="panel" aria-labelledby="audit-export-title">
      <h2 id="audit-export-title">{t("audit.exportTitle")}</h2>
      <p class="hint">{t("audit.exportHint")}</p>
      <div class="actions">
        <a class="button" href={link("csv")} download data-testid="export-csv">
          {t("audit.exportCsv")}
        </a>
        <a class="button" href={link("json")} download data-testid="export-json">
          {t("audit.exportJson")}
        </a>
      </div>
    </section>
  );
}
