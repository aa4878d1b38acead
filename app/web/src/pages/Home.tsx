import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { navigate } from "../router.js";

export function HomePage() {
  const { t, lang } = useI18n();
  const [number, setNumber] = useState("");
  return (
    <>
      <h1>{t("homeTitle")}</h1>
      <p class="lead">{t("homeIntro")}</p>
      <div class="cards">
        <section class="panel" aria-labelledby="home-verify">
          <h2 id="home-verify">{t("homeVerifyTitle")}</h2>
          <p>{t("homeVerifyText")}</p>
          <p>
            <a class="button" href={hrefFor("/verify", lang)}>
              {t("homeVerifyAction")}
            </a>
          </p>
        </section>
        <section class="panel" aria-labelledby="home-permit">
          <h2 id="home-permit">{t("homePermitTitle")}</h2>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (number.trim()) navigate(hrefFor(`/permits/${encodeURIComponent(number.trim())}`, lang));
            }}
          >
            <label for="home-permit-number">{t("permitNumberLabel")}</label>
            <div class="field-row">
              <input id="home-permit-number" autocomplete="off" aria-describedby="home-permit-example" value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
              <button type="submit">{t("lookUp")}</button>
            </div>
            <p class="hint" id="home-permit-example">
              {t("permitNumberExample")} <Value>TH-50-MAEHIA/BLD/2026/000001</Value>
            </p>
          </form>
        </section>
      </div>
    </>
  );
}
