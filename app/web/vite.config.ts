import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// Built by scripts/build-web.mjs (npm start, npm test) into app/web/dist, which the Express app serves.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // Prerendering would need the API; the pages render in the browser.
  plugins: [preact({ prerender: { enabled: false }, devtoolsInProd: false })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The size test reads what index.html loads; keep one entry and let fonts stay files.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    // `vite` in app/web during development: the API of `npm start` behind it.
    proxy: { "/api": "http://127.0.0.1:3000", "/ipfs": "http://127.0.0.1:3000", "/open311": "http://127.0.0.1:3000" },
  },
});
