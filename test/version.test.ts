import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../src/version.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

test("VERSION matches package.json", () => {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
  assert.equal(VERSION, pkg.version);
});

test("dvc --version prints the version", () => {
  const r = spawnSync(path.join(root, "bin", "dvc"), ["--version"], { encoding: "utf8" });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, VERSION + "\n");
});

test("an unknown command is a usage error (exit 254)", () => {
  const r = spawnSync(path.join(root, "bin", "dvc"), ["frobnicate"], { encoding: "utf8" });
  assert.equal(r.status, 254);
  assert.match(r.stderr, /^ERROR: argument COMMAND: invalid choice: 'frobnicate'/);
});

test("bin/dvc keeps a V8 code cache per command beside the bundle, and a bad one is replaced", () => {
  // A private copy of the entry point and bundle, so the shared dist/ is not touched.
  const tmp = mkdtempSync(path.join(tmpdir(), "dvc-ts-cc-"));
  try {
    mkdirSync(path.join(tmp, "bin"));
    mkdirSync(path.join(tmp, "dist"));
    copyFileSync(path.join(root, "bin", "dvc"), path.join(tmp, "bin", "dvc"));
    copyFileSync(path.join(root, "bin", "package.json"), path.join(tmp, "bin", "package.json"));
    copyFileSync(path.join(root, "package.json"), path.join(tmp, "package.json"));
    cpSync(path.join(root, "dist", "bundle"), path.join(tmp, "dist", "bundle"), {
      recursive: true,
      filter: (src) => !/\.cache(\.cmds)?$/.test(src),
    });
    const bundleDir = path.join(tmp, "dist", "bundle");
    const st = statSync(path.join(bundleDir, "main.js"));
    const prefix = `main.js.${st.size}-${Math.trunc(st.mtimeMs)}.`;
    // Left by an earlier build of the bundle (and an earlier scheme's command list): removed.
    writeFileSync(path.join(bundleDir, "main.js.1-2.cache"), "old");
    writeFileSync(path.join(bundleDir, "main.js.1-2.cache.cmds"), "repro\n");
    writeFileSync(path.join(bundleDir, "main.js.1-2.status.cache"), "old");
    const caches = (): string[] => readdirSync(bundleDir).filter((n) => n.startsWith("main.js.")).sort();
    const dvc = (...args: string[]): { status: number | null; stdout: string } =>
      spawnSync(process.execPath, [path.join(tmp, "bin", "dvc"), ...args], { encoding: "utf8", cwd: tmp });
    const help = (): string => {
      const r = dvc("--help");
      assert.equal(r.status, 0);
      return r.stdout;
    };
    const text = help();
    assert.match(text, /^usage: dvc /);
    const cache = path.join(bundleDir, `${prefix}_.cache`);
    assert.deepEqual(caches(), [`${prefix}_.cache`], "the command's cache written, earlier builds' removed");
    const bytes = readFileSync(cache);
    assert.ok(bytes.length > 1000);
    // Used as it is: same output, not rewritten.
    assert.equal(help(), text);
    assert.ok(readFileSync(cache).equals(bytes));
    // Garbage is rejected by V8, the command still works, and the cache is written again.
    writeFileSync(cache, "not a code cache");
    assert.equal(help(), text);
    assert.ok(readFileSync(cache).length > 1000);
    // Another command gets its own, once it has run well; a failed run writes none.
    assert.equal(dvc("status").status, 253, "outside a repository");
    assert.deepEqual(caches(), [`${prefix}_.cache`]);
    assert.equal(dvc("--cd", ".", "version").status, 0);
    assert.deepEqual(caches(), [`${prefix}_.cache`, `${prefix}version.cache`]);
    const version = readFileSync(path.join(bundleDir, `${prefix}version.cache`));
    assert.ok(version.length > 1000 && !version.equals(readFileSync(cache)));
    assert.equal(dvc("version").status, 0);
    assert.ok(readFileSync(path.join(bundleDir, `${prefix}version.cache`)).equals(version), "not rewritten by later runs");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
