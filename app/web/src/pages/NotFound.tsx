import { useI18n } from "../i18n/index.js";
import { hrefFor } from "../links.js";

export function NotFoundPage() {
  const { t, lang } = useI18n();
  return (
    <>
      <h1>{t("notFoundTitle")}</h1>
      <p>
        <a href={hrefFor("/", lang)}>{t("backHome")}</a>
      </p>
    </>
  );
}
