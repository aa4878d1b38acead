import { useEffect, useState } from "preact/hooks";
import { Message, Value } from "../components/Message.js";
import { TrackingCode } from "../complaints/TrackingCode.js";
import { useI18n } from "../i18n/index.js";
import { ApiError, officerApi, type OpenPermitType, type PermitApplication } from "./api.js";
import { useMunicipalityNames } from "./municipalityNames.js";
import type { SectionProps } from "./sections.js";
import { ActionStatus } from "./status.js";
import { useAction } from "./useAction.js";

/**
 * Counter intake: a resident who came in person applies through the permit officer, who types the
 * application and scans its documents here. It is the resident's own application — the same POST
 * /api/permits a resident files, nothing signed by the officer — so the tracking code it answers is the
 * resident's, shown once to be handed over (printed or written down), never kept by the console.
 */
export function CounterIntake(props: SectionProps & { municipalities: number[]; onOpen: (number: string) => void }) {
  const { t, lang } = useI18n();
  const names = useMunicipalityNames(props.municipalities);
  const [municipalityId, setMunicipalityId] = useState(props.municipalities[0]);
  const [types, setTypes] = useState<OpenPermitType[] | null>(null);
  const [documents, setDocuments] = useState<File[]>([]);
  const [filed, setFiled] = useState<{ number: string; trackingCode: string } | null>(null);
  const { busy, act, show, statusAt } = useAction();

  useEffect(() => {
    setTypes(null);
    officerApi.permitTypes(municipalityId).then(
      (answer) => setTypes(answer.types),
      (error) => show("apply", { kind: "error", error }),
    );
  }, [municipalityId]);

  /** Chosen files: an empty one (a failed scan) is refused here, as the service would refuse it. */
  function choose(files: File[]) {
    const empty = files.find((file) => file.size === 0);
    if (empty) show("documents", { kind: "error", error: new ApiError("FILE_EMPTY", 0, empty.name) });
    else show("documents", null);
    setDocuments((list) => [...list, ...files.filter((file) => file.size > 0)]);
  }

  function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const application: PermitApplication = {
      municipalityId,
      type: text("type"),
      parcel: text("parcel"),
      description: { ...(text("descriptionTh") ? { th: text("descriptionTh") } : {}), ...(text("descriptionEn") ? { en: text("descriptionEn") } : {}) },
      applicant: { name: text("name"), nationalId: text("nationalId"), phone: text("phone"), address: text("address") },
    };
    act(
      "apply",
      async () => {
        if (documents.length === 0) throw new ApiError("FILE_MISSING", 0, "no document");
        const answer = await officerApi.apply(application, documents);
        setFiled(answer);
        return answer;
      },
      (answer) => ({ kind: "ok", key: "officer.intakeDone", values: { number: answer.number } }),
    );
  }

  if (filed) {
    return (
      <div class="officer-block" data-testid="intake-filed" data-number={filed.number}>
        <p>
          <Message id="officer.intakeFiled" values={{ number: <Value mono>{filed.number}</Value> }} />
        </p>
        <TrackingCode code={filed.trackingCode} title={t("officer.intakeCodeTitle")} text={t("officer.intakeCodeText")} />
        <div class="officer-actions">
          <button type="button" onClick={() => props.onOpen(filed.number)}>
            {t("officer.intakeOpen")}
          </button>
          <button
            type="button"
            class="officer-link"
            onClick={() => {
              setFiled(null);
              setDocuments([]);
              show("apply", null);
            }}
          >
            {t("officer.intakeAnother")}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form class="officer-block officer-intake" data-testid="intake-form" aria-labelledby="intake-title" onSubmit={submit}>
      <h3 id="intake-title">{t("officer.intakeTitle")}</h3>
      <p class="officer-hint">{t("officer.intakeHint")}</p>
      {props.municipalities.length > 1 && (
        <label>
          {t("officer.fieldMunicipality")}
          <select value={String(municipalityId)} onChange={(event) => setMunicipalityId(Number(event.currentTarget.value))} translate={false}>
            {props.municipalities.map((id) => (
              <option key={id} value={String(id)}>
                {names.get(id) ?? t("officer.municipalityNumber", { id })}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t("officer.fieldType")}
        <select name="type" required disabled={types === null}>
          {(types ?? []).map((type) => (
            <option key={type.typeId} value={type.code} disabled={!type.known}>
              {type.known ? type[lang] : type.code}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("officer.fieldParcel")}
        <input name="parcel" required maxLength={200} autocomplete="off" />
      </label>
      <label>
        {t("officer.amendDescriptionTh")}
        <textarea name="descriptionTh" rows={2} maxLength={1000} />
      </label>
      <label>
        {t("officer.amendDescriptionEn")}
        <textarea name="descriptionEn" rows={2} maxLength={1000} />
      </label>
      <fieldset>
        <legend>{t("officer.applicantTitle")}</legend>
        <label>
          {t("officer.fieldName")}
          <input name="name" required maxLength={200} autocomplete="off" />
        </label>
        <label>
          {t("officer.fieldNationalId")}
          <input name="nationalId" required inputMode="numeric" pattern="[0-9\s\-]{13,17}" autocomplete="off" translate={false} />
        </label>
        <label>
          {t("officer.fieldPhone")}
          <input name="phone" type="tel" required autocomplete="off" />
        </label>
        <label>
          {t("officer.fieldAddress")}
          <textarea name="address" rows={2} required maxLength={500} />
        </label>
      </fieldset>
      <label>
        {t("officer.intakeDocuments")}
        <input
          type="file"
          multiple
          data-testid="intake-files"
          onChange={(event) => {
            const input = event.currentTarget;
            choose([...(input.files ?? [])]);
            input.value = "";
          }}
        />
      </label>
      <ActionStatus status={statusAt("documents")} />
      {documents.length > 0 && (
        <ul class="officer-documents" data-testid="intake-documents">
          {documents.map((document, i) => (
            <li key={`${i}-${document.name}`}>
              <Value>{document.name}</Value> · {t("officer.documentSize", { size: document.size })}{" "}
              <button type="button" class="officer-link" onClick={() => setDocuments((list) => list.filter((_, j) => j !== i))}>
                {t("officer.intakeRemove")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="submit" disabled={busy || types === null}>
        {t("officer.intakeSubmit")}
      </button>
      <ActionStatus status={statusAt("apply")} />
    </form>
  );
}
