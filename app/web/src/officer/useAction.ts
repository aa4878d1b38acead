import { useState } from "preact/hooks";
import type { Report, Status } from "./status.js";

/**
 * The actions of a console view (sign, send, record), each named by where its button is (`at`): `busy`
 * while one runs; its progress, then its done status or its error, shown by `<ActionStatus
 * status={statusAt(at)} />` next to that button (the console's line at the top of a long page is out of
 * sight); then `reload` so the view shows what the ledger now says. `show` puts a status there without
 * running anything (a file refused before it is sent).
 */
export function useAction(reload: () => Promise<void> = async () => {}) {
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<{ at: string; status: Status } | null>(null);

  const show = (at: string, status: Status) => setShown({ at, status });

  async function act<T>(at: string, action: (progress: Report) => Promise<T>, done: Status | ((result: T) => Status)): Promise<void> {
    const progress: Report = (status) => show(at, status);
    setBusy(true);
    progress(null);
    try {
      const result = await action(progress);
      progress(typeof done === "function" ? done(result) : done);
      await reload();
    } catch (error) {
      progress({ kind: "error", error });
    } finally {
      setBusy(false);
    }
  }

  const statusAt = (at: string): Status => (shown?.at === at ? shown.status : null);
  return { busy, act, show, statusAt };
}
