import { useState } from "preact/hooks";
import type { Report, Status } from "./status.js";

/**
 * An action of a console view (sign, send, record): `busy` while it runs, then its done status or its
 * error in the status line, then `reload` so the view shows what the ledger now says.
 */
export function useAction(report: Report, reload: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  async function act(action: () => Promise<unknown>, done: Status): Promise<void> {
    setBusy(true);
    try {
      await action();
      report(done);
      await reload();
    } catch (error) {
      report({ kind: "error", error });
    } finally {
      setBusy(false);
    }
  }
  return { busy, act };
}
