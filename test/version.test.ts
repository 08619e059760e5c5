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

/** A private copy of the entry point and bundle without code caches, so the shared dist/ is
 * not touched. */
function privateInstall(): { tmp: string; bundleDir: string } {
  const tmp = mkdtempSync(path.join(tmpdir(), "dvc-ts-cc-"));
  mkdirSync(path.join(tmp, "bin"));
  mkdirSync(path.join(tmp, "dist"));
  copyFileSync(path.join(root, "bin", "dvc"), path.join(tmp, "bin", "dvc"));
  copyFileSync(path.join(root, "bin", "package.json"), path.join(tmp, "bin", "package.json"));
  copyFileSync(path.join(root, "package.json"), path.join(tmp, "package.json"));
  cpSync(path.join(root, "dist", "bundle"), path.join(tmp, "dist", "bundle"), {
    recursive: true,
    filter: (src) => !/\.cache(\.cmds)?$/.test(src),
  });
  return { tmp, bundleDir: path.join(tmp, "dist", "bundle") };
}

test("bin/dvc keeps a V8 code cache per command beside the bundle, and a bad one is replaced", () => {
  const { tmp, bundleDir } = privateInstall();
  try {
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

test("bin/dvc: a run that parsed a new dvc.yaml writes no code cache, the next usual run does; one taken before stages run is valid", () => {
  const { tmp, bundleDir } = privateInstall();
  try {
    const repoDir = path.join(tmp, "repo");
    mkdirSync(repoDir);
    const dvc = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
      spawnSync(process.execPath, [path.join(tmp, "bin", "dvc"), ...args], { encoding: "utf8", cwd: repoDir });
    assert.equal(spawnSync("git", ["init", "-q"], { cwd: repoDir }).status, 0);
    assert.equal(dvc("init", "-q").status, 0);
    // 40 stages: dvc.yaml is big enough for the parsed-YAML cache (small files are always parsed)
    let yaml = "stages:\n";
    for (let i = 0; i < 40; i++) yaml += `  s${i}:\n    cmd: cp in.txt o${i}.txt\n    deps:\n    - in.txt\n    outs:\n    - o${i}.txt\n`;
    assert.ok(yaml.length > 2048);
    writeFileSync(path.join(repoDir, "dvc.yaml"), yaml);
    writeFileSync(path.join(repoDir, "in.txt"), "x\n");
    const reproCache = (): string[] => readdirSync(bundleDir).filter((n) => n.endsWith(".repro.cache"));
    // `status` parses the new dvc.yaml: no cache for it yet; the next `status` reads the parsed
    // YAML from its cache and writes one.
    assert.equal(dvc("status").status, 0);
    assert.deepEqual(readdirSync(bundleDir).filter((n) => n.endsWith(".status.cache")), []);
    assert.equal(dvc("status").status, 0);
    assert.equal(readdirSync(bundleDir).filter((n) => n.endsWith(".status.cache")).length, 1);
    // `repro` meets dvc.yaml in the YAML cache: a usual run, which reproduces all 40 stages; its
    // cache is taken as the first stage starts.
    const first = dvc("repro");
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Running stage 's39':/);
    const [cache] = reproCache();
    assert.ok(cache, "written by a usual run that ran stages");
    const bytes = readFileSync(path.join(bundleDir, cache));
    // V8 takes it: the next runs give the same results and leave it as it is.
    writeFileSync(path.join(repoDir, "in.txt"), "y\n");
    const again = dvc("repro");
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /Running stage 's0':/);
    const noop = dvc("repro");
    assert.equal(noop.status, 0, noop.stderr);
    assert.match(noop.stdout, /Data and pipelines are up to date\.\n$/);
    assert.ok(readFileSync(path.join(bundleDir, cache)).equals(bytes));
    assert.equal(readFileSync(path.join(repoDir, "o39.txt"), "utf8"), "y\n");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
