#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundle the CLI into dist/bundle/ so that a command loads
// a handful of files instead of ~120 modules (the ES module loader's per-file cost was ~100 ms
// of every command). Entry points: main.js (the CLI, one chunk per command, loaded lazily) and
// worker.js (the parallel engine's worker threads; parallel.ts finds it as ./worker.js next to
// itself, which holds both in dist/src/data/ and in dist/bundle/). The library API
// (dist/src/index.js) stays unbundled.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist", "bundle");

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: {
    main: join(ROOT, "dist/src/cli/main.js"),
    worker: join(ROOT, "dist/src/data/worker.js"),
  },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // CommonJS dependencies (commander, yaml) call require() for Node built-ins.
  banner: { js: 'import { createRequire as __dvcCreateRequire } from "node:module"; const require = __dvcCreateRequire(import.meta.url);' },
  logLevel: "warning",
  legalComments: "none",
});
