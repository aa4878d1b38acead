import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { BilingualFields, CheckField, NumberField, TextField, removeAt, replaceAt } from "./fields.js";
import { QuestionsEditor } from "./QuestionsEditor.js";
import { newCodeProblem, type DraftChange, type TownDraft } from "./townDraft.js";

type Category = TownDraft["complaintCategories"][number];

/** Keywords as the admin types them: separated by commas. */
const keywordsOf = (text: string) =>
  text
    .split(",")
    .map((word) => word.trim())
    .filter(Boolean);

/** One category: names, description, SLA, whether it takes new complaints, its questions. */
function CategoryCard(props: { category: Category; onChange: (change: (category: Category) => Category) => void; onRemove: () => void; defined: boolean }) {
  const { t } = useI18n();
  const { category, onChange } = props;
  const [keywords, setKeywords] = useState(category.keywords.join(", "));
  const description = category.description ?? { th: "", en: "" };
  return (
    <li class="admin-card" data-testid="category-card" data-code={category.code}>
      <p>
        {t("admin.code")}: <Value mono>{category.code}</Value>
      </p>
      <BilingualFields label={t("admin.categoryName")} value={category.name} onChange={(name) => onChange((c) => ({ ...c, name }))} />
      <BilingualFields
        label={t("admin.categoryDescription")}
        long
        value={description}
        onChange={(next) => onChange((c) => ({ ...c, description: next.th || next.en ? next : undefined }))}
      />
      <NumberField label={t("admin.slaDays")} min={0.5} step={0.5} value={category.slaDays} onChange={(slaDays) => onChange((c) => ({ ...c, slaDays }))} />
      <CheckField label={t("admin.active")} checked={category.active} onChange={(active) => onChange((c) => ({ ...c, active }))} />
      <TextField label={t("admin.group")} value={category.group} onChange={(group) => onChange((c) => ({ ...c, group }))} />
      <TextField
        label={t("admin.keywords")}
        value={keywords}
        onChange={(text) => {
          setKeywords(text);
          onChange((c) => ({ ...c, keywords: keywordsOf(text) }));
        }}
      />
      <QuestionsEditor questions={category.questions} onChange={(questions) => onChange((c) => ({ ...c, questions }))} />
      {props.defined ? (
        <p class="hint">{t("admin.categoryCloseHint")}</p>
      ) : (
        <button type="button" class="button--secondary" onClick={props.onRemove}>
          {t("admin.remove")}
        </button>
      )}
    </li>
  );
}

/**
 * Complaint categories: names, description, SLA in days (the chain's deadline for each complaint),
 * questions, and whether the category takes new complaints. A category on the chain is closed rather
 * than removed: complaints filed in it keep their category.
 */
export function CategoriesEditor(props: { draft: TownDraft; onChange: DraftChange; definedCodes: string[] }) {
  const { t } = useI18n();
  const { draft, onChange } = props;
  const [code, setCode] = useState("");
  const [name, setName] = useState({ th: "", en: "" });
  const [slaDays, setSlaDays] = useState(3);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const setCategories = (change: (categories: Category[]) => Category[]) => onChange((d) => ({ ...d, complaintCategories: change(d.complaintCategories) }));

  function add(event: Event) {
    event.preventDefault();
    const wanted = code.trim().toUpperCase();
    // The first problem, in the order of the form's fields.
    const why: MessageKey | null =
      newCodeProblem(wanted, draft.complaintCategories.map((category) => category.code)) ??
      (!name.th.trim() || !name.en.trim() ? "admin.namesMissing" : null) ??
      (slaDays > 0 && slaDays <= 365 ? null : "admin.slaInvalid");
    setProblem(why);
    if (why) return;
    setCategories((categories) => [
      ...categories,
      { code: wanted, name: { th: name.th.trim(), en: name.en.trim() }, group: "", keywords: [], slaDays, active: true, questions: [] },
    ]);
    setCode("");
    setName({ th: "", en: "" });
  }

  return (
    <div data-testid="categories-editor">
      {draft.complaintCategories.length === 0 && <p>{t("admin.noCategories")}</p>}
      <ul class="admin-cards">
        {draft.complaintCategories.map((category, index) => (
          <CategoryCard
            key={category.code}
            category={category}
            defined={props.definedCodes.includes(category.code)}
            onChange={(change) => setCategories((categories) => replaceAt(categories, index, change))}
            onRemove={() => setCategories((categories) => removeAt(categories, index))}
          />
        ))}
      </ul>
      <form class="admin-card" data-testid="add-category-form" onSubmit={add}>
        <h4>{t("admin.addCategory")}</h4>
        <TextField label={t("admin.categoryCode")} mono value={code} onChange={setCode} placeholder="FLOODING" />
        <BilingualFields label={t("admin.categoryName")} value={name} onChange={setName} />
        <NumberField label={t("admin.slaDays")} min={0.5} step={0.5} value={slaDays} onChange={setSlaDays} />
        <button type="submit">{t("admin.addCategory")}</button>
        {problem && <p class="field-error">{t(problem)}</p>}
      </form>
    </div>
  );
}
