import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import path from "node:path";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";
import { precompressAssets } from "./app/http/compression.server";

/** After the browser build: brotli and gzip files beside each script, style and locale file (served by server.mjs). */
const precompress = (): Plugin => ({
  name: "manabi-precompress",
  apply: "build",
  writeBundle: {
    sequential: true,
    order: "post",
    handler(options) {
      if (options.dir && path.basename(options.dir) === "client") precompressAssets(path.join(options.dir, "assets"));
    },
  },
});

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: 3000 },
  plugins: [tailwindcss(), remix(remixConfig), tsconfigPaths(), precompress()],
  build: { target: "es2022" },
  ssr: { external: ["@electric-sql/pglite", "postgres"] },
});
