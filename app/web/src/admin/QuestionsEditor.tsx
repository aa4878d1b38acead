import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { BilingualFields, CheckField, TextField, removeAt, replaceAt } from "./fields.js";
import type { TownDraft } from "./townDraft.js";

type Question = TownDraft["complaintCategories"][number]["questions"][number];
type Datatype = Question["datatype"];

const DATATYPES: Datatype[] = ["string", "text", "number", "datetime", "singlevaluelist", "multivaluelist"];
const QUESTION_CODE = /^[a-z][a-z0-9_]{0,31}$/;
const VALUE_KEY = /^[A-Za-z0-9_-]{1,32}$/;
const isList = (datatype: Datatype) => datatype.endsWith("valuelist");

/** The answers a list question offers: each a key (what Open311 clients send) and its Thai and English words. */
function ValuesEditor(props: { values: NonNullable<Question["values"]>; onChange: (values: NonNullable<Question["values"]>) => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState("");
  const [problem, setProblem] = useState(false);
  function add() {
    const wanted = key.trim();
    const bad = !VALUE_KEY.test(wanted) || props.values.some((value) => value.key === wanted);
    setProblem(bad);
    if (bad) return;
    props.onChange([...props.values, { key: wanted, label: { th: "", en: "" } }]);
    setKey("");
  }
  return (
    <fieldset class="admin-values">
      <legend>{t("admin.answers")}</legend>
      <ul>
        {props.values.map((value, index) => (
          <li key={value.key}>
            <Value mono>{value.key}</Value>
            <BilingualFields label={t("admin.answerLabel")} value={value.label} onChange={(label) => props.onChange(replaceAt(props.values, index, (v) => ({ ...v, label })))} />
            <button type="button" class="link-button" onClick={() => props.onChange(removeAt(props.values, index))}>
              {t("admin.remove")}
            </button>
          </li>
        ))}
      </ul>
      <div class="admin-inline">
        <TextField label={t("admin.answerKey")} mono value={key} onChange={setKey} />
        <button type="button" class="button--secondary" onClick={add}>
          {t("admin.addAnswer")}
        </button>
      </div>
      {problem && <p class="field-error">{t("admin.answerKeyInvalid")}</p>}
    </fieldset>
  );
}

/** A category's questions, asked on the complaint form and as Open311 attributes. */
export function QuestionsEditor(props: { questions: Question[]; onChange: (questions: Question[]) => void }) {
  const { t } = useI18n();
  const { questions, onChange } = props;
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<MessageKey | null>(null);

  function add() {
    const wanted = code.trim();
    const why: MessageKey | null = !QUESTION_CODE.test(wanted) ? "admin.questionCodeInvalid" : questions.some((q) => q.code === wanted) ? "admin.codeTaken" : null;
    setProblem(why);
    if (why) return;
    onChange([...questions, { code: wanted, datatype: "string", required: false, label: { th: "", en: "" }, hint: "" }]);
    setCode("");
  }

  return (
    <fieldset class="admin-questions">
      <legend>{t("admin.questions")}</legend>
      <ol>
        {questions.map((question, index) => {
          const update = (change: (q: Question) => Question) => onChange(replaceAt(questions, index, change));
          return (
            <li key={question.code} data-testid="question" data-code={question.code}>
              <p>
                {t("admin.code")}: <Value mono>{question.code}</Value>
              </p>
              <BilingualFields label={t("admin.questionLabel")} value={question.label} onChange={(label) => update((q) => ({ ...q, label }))} />
              <label class="admin-field">
                {t("admin.datatype")}
                <select
                  value={question.datatype}
                  onChange={(e) => {
                    const datatype = e.currentTarget.value as Datatype;
                    update((q) => ({ ...q, datatype, values: isList(datatype) ? (q.values ?? []) : undefined }));
                  }}
                >
                  {DATATYPES.map((datatype) => (
                    <option key={datatype} value={datatype}>
                      {t(`admin.datatype.${datatype}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </label>
              <CheckField label={t("admin.required")} checked={question.required} onChange={(required) => update((q) => ({ ...q, required }))} />
              <TextField label={t("admin.questionHint")} value={question.hint} onChange={(hint) => update((q) => ({ ...q, hint }))} />
              {isList(question.datatype) && <ValuesEditor values={question.values ?? []} onChange={(values) => update((q) => ({ ...q, values }))} />}
              <button type="button" class="link-button" onClick={() => onChange(removeAt(questions, index))}>
                {t("admin.removeQuestion")}
              </button>
            </li>
          );
        })}
      </ol>
      <div class="admin-inline">
        <TextField label={t("admin.questionCode")} mono value={code} onChange={setCode} placeholder="community" />
        <button type="button" class="button--secondary" onClick={add}>
          {t("admin.addQuestion")}
        </button>
      </div>
      {problem && <p class="field-error">{t(problem)}</p>}
    </fieldset>
  );
}
