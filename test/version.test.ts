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

test("bin/dvc keeps a V8 code cache beside the bundle, and a bad one is replaced", () => {
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
    const caches = (): string[] => readdirSync(bundleDir).filter((n) => n.endsWith(".cache"));
    const run = (): string => {
      const r = spawnSync(process.execPath, [path.join(tmp, "bin", "dvc"), "--help"], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const help = run();
    assert.match(help, /^usage: dvc /);
    const [cache] = caches();
    assert.ok(cache, "a cache file was written");
    const st = statSync(path.join(bundleDir, "main.js"));
    assert.equal(cache, `main.js.${st.size}-${Math.trunc(st.mtimeMs)}.cache`);
    const bytes = readFileSync(path.join(bundleDir, cache));
    assert.ok(bytes.length > 1000);
    // Used as it is: same output, not rewritten.
    assert.equal(run(), help);
    assert.ok(readFileSync(path.join(bundleDir, cache)).equals(bytes));
    // Garbage is rejected by V8, the command still works, and the cache is written again.
    writeFileSync(path.join(bundleDir, cache), "not a code cache");
    assert.equal(run(), help);
    assert.ok(readFileSync(path.join(bundleDir, cache)).length > 1000);
    assert.deepEqual(caches(), [cache]);
    // A command the cache has not seen (and that succeeds) adds its functions once.
    const cmds = path.join(bundleDir, `${cache}.cmds`);
    const dvc = (...args: string[]): number => spawnSync(process.execPath, [path.join(tmp, "bin", "dvc"), ...args], { encoding: "utf8", cwd: tmp }).status ?? -1;
    const before = readFileSync(path.join(bundleDir, cache));
    assert.equal(dvc("status"), 253, "outside a repository");
    assert.ok(readFileSync(path.join(bundleDir, cache)).equals(before), "a failed run does not rewrite it");
    assert.equal(dvc("version"), 0);
    const withVersion = readFileSync(path.join(bundleDir, cache));
    assert.ok(!withVersion.equals(before), "rewritten with the new command's functions");
    assert.equal(readFileSync(cmds, "utf8"), "version\n");
    assert.equal(dvc("version"), 0);
    assert.ok(readFileSync(path.join(bundleDir, cache)).equals(withVersion), "a known command does not rewrite it");
    assert.equal(dvc("--cd", ".", "version"), 0);
    assert.equal(readFileSync(cmds, "utf8"), "version\n");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
