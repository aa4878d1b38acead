import { useEffect, useState } from "preact/hooks";
import { errorText } from "../../apiRequest.js";
import { Value } from "../../components/Message.js";
import { TownPicker } from "../../components/TownPicker.js";
import { fileComplaint, formOf, type FilingForm, type FormCategory } from "../../complaints/complaintsApi.js";
import { MapPicker, round5, type Point } from "../../complaints/MapPicker.js";
import { TrackingCode } from "../../complaints/TrackingCode.js";
import { useI18n } from "../../i18n/index.js";
import { hrefFor } from "../../links.js";
import { useChosenTown } from "../../towns/chosenTown.js";
import { townDetail } from "../../towns/townsApi.js";
import type { TownArea } from "../../../../shared/townProfile.js";

type Status = { kind: "idle" } | { kind: "sending" } | { kind: "error"; text: string } | { kind: "locating" };

/**
 * /complaints/new — file a complaint with the town the resident chose (?town=, or the one this browser
 * remembers): category, place (the town's map, my location, or an address), text, photo.
 */
export function NewComplaintPage(props: { url: URL }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const choice = useChosenTown(props.url);
  const townId = choice.townId;
  const [form, setForm] = useState<FilingForm | null>(null);
  const [outline, setOutline] = useState<TownArea | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [category, setCategory] = useState("");
  const [attributes, setAttributes] = useState<Record<string, string>>({});
  const [point, setPoint] = useState<Point | null>(null);
  const [address, setAddress] = useState("");
  const [description, setDescription] = useState("");
  const [photo, setPhoto] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  // A new key empties the file input when the photo is removed.
  const [photoInput, setPhotoInput] = useState(0);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [filed, setFiled] = useState<string | null>(null);

  // Another town, another form: its categories, its questions, its map.
  useEffect(() => {
    setForm(null);
    setFormError(null);
    setOutline(null);
    setCategory("");
    setAttributes({});
    setPoint(null);
    if (townId === null) return;
    let current = true;
    formOf(townId).then(
      (answer) => current && setForm(answer),
      (error) => current && setFormError(errorText(i18n, "complaints", error)),
    );
    townDetail(townId).then(
      (detail) => current && setOutline(detail.profile?.area ?? null),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [townId]);
  useEffect(() => {
    if (choice.failed && townId === null) setFormError(t("towns.unavailable"));
  }, [choice.failed, townId]);

  const chosen: FormCategory | undefined = form?.categories.find((c) => c.code === category);
  // The town's own box when the service knows it from the town's profile, else the form's.
  const mapArea = (choice.town?.id === form?.municipalityId ? choice.town?.bounds : null) ?? form?.area ?? null;
  const canLocate = typeof navigator !== "undefined" && "geolocation" in navigator;

  function locate() {
    setStatus({ kind: "locating" });
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setPoint({ lat: round5(position.coords.latitude), long: round5(position.coords.longitude) });
        setStatus({ kind: "idle" });
      },
      () => setStatus({ kind: "error", text: t("complaints.locationFailed") }),
      { enableHighAccuracy: true, timeout: 20_000 },
    );
  }

  function pickPhoto(file: File | undefined) {
    setPhoto(file ?? null);
    setPreview(null);
    if (!file) setPhotoInput((n) => n + 1);
    if (!file || !file.type.startsWith("image/")) return;
    // A data: URL, which the page's Content-Security-Policy allows for images (blob: it does not).
    const reader = new FileReader();
    reader.onload = () => setPreview(typeof reader.result === "string" ? reader.result : null);
    reader.readAsDataURL(file);
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!chosen) return setStatus({ kind: "error", text: t("complaints.categoryMissing") });
    if (!point && !address.trim()) return setStatus({ kind: "error", text: t("complaints.placeMissing") });
    setStatus({ kind: "sending" });
    const fields: Record<string, string> = {
      municipalityId: String(form!.municipalityId),
      service_code: chosen.code,
      lat: point ? String(point.lat) : "",
      long: point ? String(point.long) : "",
      address_string: address.trim(),
      description: description.trim(),
    };
    for (const attribute of chosen.attributes) fields[`attribute[${attribute.code}]`] = attributes[attribute.code] ?? "";
    try {
      const answer = await fileComplaint(fields, photo);
      setFiled(answer.trackingCode);
      setStatus({ kind: "idle" });
    } catch (error) {
      setStatus({ kind: "error", text: errorText(i18n, "complaints", error) });
    }
  }

  function startOver() {
    setFiled(null);
    setCategory("");
    setAttributes({});
    setPoint(null);
    setAddress("");
    setDescription("");
    pickPhoto(undefined);
  }

  if (filed) {
    return (
      <>
        <h1>{t("complaints.filedTitle")}</h1>
        <TrackingCode code={filed} title={t("complaints.codeLabel")} text={t("complaints.codeKeep")} followLink />
        <p>
          <button type="button" class="link-button" onClick={startOver}>
            {t("complaints.fileAnother")}
          </button>
        </p>
      </>
    );
  }

  const named = (en: string, th: string) => (lang === "th" ? th || en : en);
  return (
    <>
      <h1>{t("complaints.newTitle")}</h1>
      <p class="lead">{t("complaints.newIntro")}</p>
      <p>
        <a href={hrefFor("/complaints/track", lang)}>{t("complaints.trackLink")}</a>
      </p>
      <TownPicker choice={choice} />
      {!form && !formError && <p role="status">{t("complaints.loadingForm")}</p>}
      {formError && (
        <p role="alert" class="error">
          {formError}
        </p>
      )}
      {form && (
        <form class="complaint-form" onSubmit={submit} noValidate>
          <section class="panel">
            <label for="complaint-category">
              {t("complaints.categoryLabel")} <span class="hint">{t("complaints.required")}</span>
            </label>
            <select id="complaint-category" name="category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
              <option value="">{t("complaints.choose")}</option>
              {form.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {named(c.name, c.nameTh)}
                </option>
              ))}
            </select>
            {chosen && (
              <p class="hint">
                {named(chosen.description, chosen.descriptionTh)} {t("complaints.slaHint", { days: Math.round((chosen.slaSeconds / 86_400) * 10) / 10 })}
              </p>
            )}
            {chosen?.attributes.map((attribute) => {
              const id = `attribute-${attribute.code}`;
              const label = (
                <label for={id}>
                  {named(attribute.description, attribute.descriptionTh)} {attribute.required && <span class="hint">{t("complaints.required")}</span>}
                </label>
              );
              const update = (value: string) => setAttributes({ ...attributes, [attribute.code]: value });
              return (
                <div class="field" key={attribute.code}>
                  {label}
                  {attribute.values ? (
                    <select id={id} value={attributes[attribute.code] ?? ""} onChange={(e) => update(e.currentTarget.value)}>
                      <option value="">{t("complaints.choose")}</option>
                      {attribute.values.map((v) => (
                        <option key={v.key} value={v.key}>
                          {named(v.name, v.nameTh)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input id={id} value={attributes[attribute.code] ?? ""} onInput={(e) => update(e.currentTarget.value)} />
                  )}
                </div>
              );
            })}
          </section>

          <fieldset class="panel">
            <legend>{t("complaints.placeTitle")}</legend>
            <p class="hint">{t("complaints.placeHint")}</p>
            {mapArea ? <MapPicker area={mapArea} outline={outline} value={point} onChange={setPoint} /> : <p>{t("complaints.noMap")}</p>}
            <p aria-live="polite" data-testid="map-point">
              {point ? (
                t("complaints.pointChosen", { lat: point.lat.toFixed(5), long: point.long.toFixed(5) })
              ) : (
                t("complaints.pointNone")
              )}
            </p>
            <p class="actions">
              {canLocate && (
                <button type="button" onClick={locate}>
                  {t("complaints.useLocation")}
                </button>
              )}
              {point && (
                <button type="button" class="link-button" onClick={() => setPoint(null)}>
                  {t("complaints.clearPoint")}
                </button>
              )}
            </p>
            <label for="complaint-address">{t("complaints.addressLabel")}</label>
            <input id="complaint-address" name="address" autocomplete="street-address" value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
          </fieldset>

          <section class="panel">
            <label for="complaint-description">{t("complaints.descriptionLabel")}</label>
            <textarea
              id="complaint-description"
              name="description"
              rows={5}
              maxLength={4000}
              aria-describedby="complaint-description-hint"
              value={description}
              onInput={(e) => setDescription(e.currentTarget.value)}
            />
            <p id="complaint-description-hint" class="hint">
              {t("complaints.descriptionHint")}
            </p>
            {/* The browser's own file button speaks the browser's language: ours speaks the page's. */}
            <p class="field-label" id="complaint-photo-label">
              {t("complaints.photoLabel")}
            </p>
            <label class="button">
              {t("complaints.photoPick")}
              <input
                key={photoInput}
                id="complaint-photo"
                name="photo"
                type="file"
                accept="image/*"
                class="visually-hidden"
                aria-describedby="complaint-photo-label"
                onChange={(e) => pickPhoto(e.currentTarget.files?.[0])}
              />
            </label>
            {photo && (
              <div class="photo-preview">
                {preview && <img src={preview} alt={t("complaints.photoPreview")} />}
                <Value>{photo.name}</Value>
                <button type="button" class="link-button" onClick={() => pickPhoto(undefined)}>
                  {t("complaints.photoRemove")}
                </button>
              </div>
            )}
          </section>

          <div role="status" aria-live="polite" data-testid="complaint-status">
            {status.kind === "sending" && <p class="working">{t("complaints.submitting")}</p>}
            {status.kind === "locating" && <p class="working">{t("complaints.locating")}</p>}
            {status.kind === "error" && <p class="error">{status.text}</p>}
          </div>
          <button type="submit" disabled={status.kind === "sending"}>
            {t("complaints.submit")}
          </button>
        </form>
      )}
    </>
  );
}
