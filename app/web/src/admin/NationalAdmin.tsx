import { Interface, getAddress, id, isAddress } from "ethers";
import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { ActionStatus } from "../officer/status.js";
import { useAction } from "../officer/useAction.js";
import { townName, type TownSummary } from "../towns/townsApi.js";
import { chainOf } from "../verify/ledgerApi.js";
import type { LedgerSigner } from "../wallet/types.js";
import { sendAdminCall } from "./adminCall.js";
import { TextField } from "./fields.js";

/** The Directory's calls that are the national admin's (the Directory's owner), and the hand-over. */
const NATIONAL = new Interface([
  "function addMunicipality(string code, string name, address admin) returns (uint32)",
  "function suspendMunicipality(uint32 municipalityId, bytes32 reasonHash)",
  "function reinstateMunicipality(uint32 municipalityId)",
  "function setMunicipalityAdmin(uint32 municipalityId, address newAdmin)",
]);
const CODE = /^[A-Z0-9-]{1,32}$/;

async function directoryCall(signer: LedgerSigner, method: string, args: unknown[]) {
  const chain = await chainOf();
  if (!chain.contracts.directory) throw Object.assign(new Error("no Directory"), { code: "NETWORK" });
  return sendAdminCall(signer, { to: chain.contracts.directory, data: NATIONAL.encodeFunctionData(method, args), chainId: chain.chainId });
}

/** One municipality: suspend it (with a reason, of which only the keccak256 goes on the chain) or reinstate it; hand it to a new admin. */
function MunicipalityRow(props: { town: TownSummary; signer: LedgerSigner | null; onChanged: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const { town, signer } = props;
  const [open, setOpen] = useState<"suspend" | "handover" | null>(null);
  const [reason, setReason] = useState("");
  const [admin, setAdmin] = useState("");
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const { busy, act, statusAt } = useAction(props.onChanged);
  const at = `town-${town.id}`;

  function run(method: string, args: unknown[], done: MessageKey) {
    if (!signer) return;
    void act(
      at,
      async (progress) => {
        progress({ kind: "busy", key: "officer.busySigning" });
        await directoryCall(signer, method, args);
        setOpen(null);
      },
      { kind: "ok", key: done },
    );
  }

  function suspend(event: Event) {
    event.preventDefault();
    setProblem(reason.trim() ? null : "admin.reasonMissing");
    if (reason.trim()) run("suspendMunicipality", [town.id, id(reason.trim())], "admin.suspended");
  }

  function handOver(event: Event) {
    event.preventDefault();
    const valid = isAddress(admin.trim());
    setProblem(valid ? null : "admin.addressInvalid");
    if (valid) run("setMunicipalityAdmin", [town.id, getAddress(admin.trim())], "admin.handedOver");
  }

  return (
    <li class="admin-card" data-testid="municipality" data-code={town.code} data-suspended={String(town.suspended)}>
      <p>
        <strong translate={false}>{townName(town, lang)}</strong> · <Value mono>{town.code}</Value> · {t("admin.municipalityId", { id: town.id })}
      </p>
      <p>
        {t("admin.townAdmin")}: <Value mono>{town.admin}</Value>
      </p>
      <p data-testid="municipality-status">{t(town.suspended ? "admin.statusSuspended" : "admin.statusActive")}</p>
      {open === "suspend" && (
        <form class="admin-inline" onSubmit={suspend}>
          <TextField label={t("admin.reason")} value={reason} onChange={setReason} />
          <button type="submit" disabled={busy || !signer}>
            {t("admin.suspendSign")}
          </button>
          <p class="hint">{t("admin.reasonHint")}</p>
        </form>
      )}
      {open === "handover" && (
        <form class="admin-inline" onSubmit={handOver}>
          <TextField label={t("admin.newAdmin")} mono value={admin} onChange={setAdmin} placeholder="0x…" />
          <button type="submit" disabled={busy || !signer}>
            {t("admin.handOverSign")}
          </button>
        </form>
      )}
      {open === null && (
        <p class="actions">
          {town.suspended ? (
            <button type="button" disabled={busy || !signer} onClick={() => run("reinstateMunicipality", [town.id], "admin.reinstated")}>
              {t("admin.reinstate")}
            </button>
          ) : (
            <>
              <button type="button" class="button--secondary" onClick={() => setOpen("suspend")}>
                {t("admin.suspend")}
              </button>
              <button type="button" class="button--secondary" onClick={() => setOpen("handover")}>
                {t("admin.handOver")}
              </button>
            </>
          )}
        </p>
      )}
      {open !== null && (
        <button type="button" class="link-button" onClick={() => setOpen(null)}>
          {t("admin.cancel")}
        </button>
      )}
      {problem && <p class="field-error">{t(problem)}</p>}
      <ActionStatus status={statusAt(at)} />
    </li>
  );
}

/**
 * The national admin's part (the Directory's owner): the municipalities of the ledger, a new one (code,
 * English name, its admin's address — who then applies the town's file), suspension and reinstatement,
 * and handing a town to a new admin. Each is the national admin's own transaction.
 */
export function NationalAdmin(props: { towns: TownSummary[]; signer: LedgerSigner | null; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const { signer } = props;
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [admin, setAdmin] = useState("");
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const { busy, act, statusAt } = useAction(props.onChanged);

  function add(event: Event) {
    event.preventDefault();
    const wanted = code.trim().toUpperCase();
    const why: MessageKey | null = !CODE.test(wanted)
      ? "admin.townCodeInvalid"
      : props.towns.some((town) => town.code === wanted)
        ? "admin.codeTaken"
        : !name.trim()
          ? "admin.nameMissing"
          : !isAddress(admin.trim())
            ? "admin.addressInvalid"
            : null;
    setProblem(why);
    if (why || !signer) return;
    void act(
      "add",
      async (progress) => {
        progress({ kind: "busy", key: "officer.busySigning" });
        await directoryCall(signer, "addMunicipality", [wanted, name.trim(), getAddress(admin.trim())]);
        setCode("");
        setName("");
        setAdmin("");
        return wanted;
      },
      (added) => ({ kind: "ok", key: "admin.added", values: { code: added } }),
    );
  }

  return (
    <section class="admin-national" aria-labelledby="national-title" data-testid="national-admin">
      <h3 id="national-title">{t("admin.nationalTitle")}</h3>
      <p class="hint">{t("admin.nationalIntro")}</p>
      <ul class="admin-cards">
        {props.towns.map((town) => (
          <MunicipalityRow key={town.id} town={town} signer={signer} onChanged={props.onChanged} />
        ))}
      </ul>
      <form class="admin-card" data-testid="add-municipality-form" onSubmit={add}>
        <h4>{t("admin.addMunicipality")}</h4>
        <TextField label={t("admin.townCode")} mono value={code} onChange={setCode} placeholder="TH-96-NARATHIWAT" />
        <TextField label={t("admin.townNameEn")} value={name} onChange={setName} />
        <TextField label={t("admin.townAdmin")} mono value={admin} onChange={setAdmin} placeholder="0x…" />
        <p class="hint">{t("admin.addHint")}</p>
        <button type="submit" disabled={busy || !signer}>
          {t("admin.addSign")}
        </button>
        {problem && <p class="field-error">{t(problem)}</p>}
        <ActionStatus status={statusAt("add")} />
      </form>
    </section>
  );
}
