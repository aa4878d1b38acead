import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../i18n/index.js";

/**
 * A page loaded on first use with a dynamic import(): its code is a chunk of its own, so the Verify
 * page never downloads it.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyPage(props: P) {
    const { t } = useI18n();
    const [Page, setPage] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Page) return;
      load().then(
        (component) => {
          loaded = component;
          setPage(() => component);
        },
        () => setFailed(true),
      );
    }, []);
    if (failed) return <p class="error">{t("errorApi")}</p>;
    return Page ? <Page {...props} /> : <p role="status">{t("loading")}</p>;
  };
}
