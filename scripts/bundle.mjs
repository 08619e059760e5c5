#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundle the CLI into dist/bundle/ as two CommonJS files,
// main.js (the CLI) and worker.js (the parallel engine's worker threads; parallel.ts finds it as
// ./worker.js next to itself, which holds both in dist/src/data/ and here). One file instead of
// ~120 ES modules saves the module loader's per-file cost (~100 ms a command), and CommonJS lets
// bin/dvc compile it with a V8 code cache (see bin/dvc). The library API (dist/src/index.js)
// stays unbundled ESM.
import { build } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist", "bundle");

// commander loads node:child_process (and with it net and stream: ~6 ms) at start-up for
// executable subcommands, which dvc-ts does not use: give it a proxy that loads the module on
// first use instead.
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "lazy-builtin" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents: 'let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require("node:child_process"))[k] });',
      loader: "js",
    }));
  },
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
// The package is "type": "module"; these files are CommonJS.
writeFileSync(join(OUT, "package.json"), '{ "type": "commonjs" }\n');
await build({
  entryPoints: {
    main: join(ROOT, "dist/src/cli/main.js"),
    worker: join(ROOT, "dist/src/data/worker.js"),
  },
  outdir: OUT,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // import.meta.url (used to locate worker.js) becomes the bundle file's own URL.
  define: { "import.meta.url": "__dvcModuleUrl" },
  banner: { js: 'var __dvcModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  // Smaller files to read (and the cache to check against): whitespace and syntax only, so
  // names (error classes, stack traces) stay as written.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [lazyChildProcessForCommander],
  logLevel: "warning",
  legalComments: "none",
});

// `import * as path from "node:path"` becomes `__toESM(require("node:path"), 1)` in every module
// that has it (~50): a copy of the built-in's exports with a getter per property, ~3 ms of each
// command's start. A namespace import of a built-in only reads its named properties, so the
// module itself does as well. That holds while no source file takes a built-in's default export
// (which would read `.default`): checked here.
const defaultImport = /^\s*import\s+[\w$]+\s*(,|from)\s*[^;]*["']node:/m;
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".js") ? [join(dir, e.name)] : []));
for (const f of walk(join(ROOT, "dist", "src"))) {
  if (defaultImport.test(readFileSync(f, "utf8"))) throw new Error(`${f}: default import of a node: built-in; use a namespace or named import`);
}
// The `yaml` package (72 modules, ~160 KB) builds documents only when a YAML file is not in the
// parsed-YAML cache, yet evaluating its modules took ~6 ms of every command (a no-op `repro`
// included). Its one importer (src/yaml/load.ts) only calls its named functions, so the import
// becomes an object whose first property read loads the package and puts it in its place.
const lazyYaml = (code) => {
  const eager = /\bimport_yaml=__toESM\((require_[\w$]+)\(\),1\)/g;
  const found = code.match(eager) ?? [];
  if (found.length !== 1) throw new Error(`main.js: expected one import of the yaml package, found ${found.length}`);
  return code.replace(eager, "import_yaml=new Proxy({},{get:(_,k)=>(import_yaml=__toESM($1(),1))[k]})");
};
for (const name of ["main.js", "worker.js"]) {
  const file = join(OUT, name);
  let code = readFileSync(file, "utf8").replace(/__toESM\(require\("(node:[\w/]+)"\),1\)/g, 'require("$1")');
  if (name === "main.js") code = lazyYaml(code);
  // bin/dvc reads the bundle as latin1, which is right only for ASCII (esbuild's default
  // charset escapes everything else).
  const bad = code.search(/[^\x00-\x7f]/);
  if (bad >= 0) throw new Error(`${name}: non-ASCII character at offset ${bad}`);
  writeFileSync(file, code);
}
