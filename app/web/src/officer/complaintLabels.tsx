import { Fragment } from "preact";
import { Value } from "../components/Message.js";
import type { FormCategory } from "../complaints/complaintsApi.js";
import { useI18n, type I18n, type MessageKey } from "../i18n/index.js";
import { CATEGORY_CODES, OPEN_STATUSES, type ComplaintRecord } from "./complaintsApi.js";

/** What the complaints section's queue and review both say about a complaint. */
export const statusLabel = (status: string) => `officerComplaints.status.${status}` as MessageKey;
export const isOpen = (complaint: ComplaintRecord) => (OPEN_STATUSES as readonly string[]).includes(complaint.detailedStatus);
/** Past its SLA on the chain's clock (`now`), while the municipality still owes work — as isOverdue says. */
export const isOverdue = (complaint: ComplaintRecord, now: number | null) => now !== null && isOpen(complaint) && complaint.dueAt < now;
export const shortId = (id: string) => `${id.slice(0, 10)}…`;

/** A category by its label in the user's language; one this page does not know by its code. */
export function categoryText(t: I18n["t"], complaint: ComplaintRecord) {
  const known = (CATEGORY_CODES as readonly string[]).includes(complaint.serviceCode);
  return known ? t(`officerComplaints.category.${complaint.serviceCode}` as MessageKey) : <Value>{complaint.serviceCode}</Value>;
}

/** A category question (an Open311 attribute) in the reader's language; one the form does not ask, by its code as data. */
export function QuestionText(props: { form: FormCategory | null; code: string }) {
  const { lang } = useI18n();
  const question = props.form?.attributes.find((a) => a.code === props.code);
  return question ? <>{lang === "th" ? question.descriptionTh : question.description}</> : <Value>{props.code}</Value>;
}

/** A resident's answer: a choice in the reader's language, words the resident typed as they typed them (data). */
export function AnswerText(props: { form: FormCategory | null; code: string; value: string | string[] }) {
  const { lang } = useI18n();
  const choices = props.form?.attributes.find((a) => a.code === props.code)?.values;
  const answers = Array.isArray(props.value) ? props.value : [props.value];
  return (
    <>
      {answers.map((answer, i) => {
        const choice = choices?.find((v) => v.key === answer);
        return (
          <Fragment key={i}>
            {i > 0 && ", "}
            {choice ? (lang === "th" ? choice.nameTh : choice.name) : <Value>{answer}</Value>}
          </Fragment>
        );
      })}
    </>
  );
}
