// Background writes of a sequential repro (src/util/write-behind.ts): order, merging, what
// readers see meanwhile, errors, and the repro paths built on them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WriteBehind, afterPendingWrites } from "../src/util/write-behind.js";
import { Sandbox } from "./helpers/sandbox.js";

/** Run `fn` in a fresh temporary directory, removed afterwards. */
async function inTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "dvc-ts-wb-")));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("write-behind: one file's writes in order, later ones merged, readers see the newest content", async () =>
  inTmp(async (dir) => {
    const f = path.join(dir, "dvc.lock");
    writeFileSync(f, "old\n");
    const wb = new WriteBehind();
    const seen: string[] = [];
    wb.write(f, "one\n", () => seen.push("one:" + readFileSync(f, "utf8")));
    // scheduled while "one" is being written: both wait, only the newest is written
    wb.write(f, "two\n", () => seen.push("two:" + readFileSync(f, "utf8")));
    wb.write(f, "three\n", () => seen.push("three:" + readFileSync(f, "utf8")));
    assert.equal(wb.pending(f), "three\n");
    assert.equal(wb.pending(path.join(dir, "other")), undefined);
    await wb.flush();
    assert.deepEqual(seen, ["one:one\n", "two:three\n", "three:three\n"]);
    assert.equal(readFileSync(f, "utf8"), "three\n");
    assert.equal(wb.pending(f), undefined);
    assert.deepEqual(readdirSync(dir), ["dvc.lock"]);
  }));

test("write-behind: a failed write is kept, reported by flush, and leaves no temp file", async () =>
  inTmp(async (dir) => {
    const wb = new WriteBehind();
    const bad = path.join(dir, "is-a-dir");
    mkdirSync(bad);
    const outcomes: string[] = [];
    wb.write(bad, "x", (ok) => outcomes.push(`x:${ok}`));
    wb.write(bad, "y", (ok) => outcomes.push(`y:${ok}`));
    wb.write(path.join(dir, "fine"), "ok", (ok) => outcomes.push(`fine:${ok}`));
    wb.task(async () => wb.write(path.join(dir, "from-task"), "t"));
    await assert.rejects(wb.flush(), (e: NodeJS.ErrnoException) => e.code === "EISDIR");
    assert.equal((wb.failure as NodeJS.ErrnoException).code, "EISDIR");
    // the failed write and the one waiting behind it are reported as not written
    assert.deepEqual(outcomes.sort(), ["fine:true", "x:false", "y:false"]);
    assert.equal(readFileSync(path.join(dir, "fine"), "utf8"), "ok");
    assert.equal(readFileSync(path.join(dir, "from-task"), "utf8"), "t");
    assert.deepEqual(readdirSync(dir).sort(), ["fine", "from-task", "is-a-dir"]);
    // settle() waits without throwing; the first error stays the one reported
    await wb.settle();
    await assert.rejects(wb.flush(), (e: NodeJS.ErrnoException) => e.code === "EISDIR");
  }));

test("write-behind: afterPendingWrites runs once the writes in flight are on disk", async () =>
  inTmp(async (dir) => {
    const wb = new WriteBehind();
    const f = path.join(dir, "a");
    wb.write(f, "content");
    const content = await new Promise<string>((resolve) => afterPendingWrites(() => resolve(readFileSync(f, "utf8"))));
    assert.equal(content, "content");
    let ran = false;
    afterPendingWrites(() => (ran = true));
    assert.equal(ran, true, "nothing in flight: at once");
  }));

const CHAIN =
  "stages:\n  a:\n    cmd: cp in.txt a.txt\n    deps:\n    - in.txt\n    outs:\n    - a.txt\n" +
  "  b:\n    cmd: cp a.txt b.txt\n    deps:\n    - a.txt\n    outs:\n    - b.txt\n" +
  "  c:\n    cmd: cp b.txt c.txt; cp b.txt d.txt\n    deps:\n    - b.txt\n    outs:\n    - c.txt\n    - d.txt\n";

/** Two repos set up alike by `setup`: one for `repro` (-j 1), one for `repro -j 2`. */
function pair(setup: (s: Sandbox) => void, fn: (seq: Sandbox, par: Sandbox) => void): void {
  const seq = new Sandbox();
  const par = new Sandbox();
  try {
    for (const s of [seq, par]) {
      s.ok("init", "-q");
      s.write("in.txt", "x\n");
      s.write("dvc.yaml", CHAIN);
      setup(s);
    }
    fn(seq, par);
  } finally {
    seq.cleanup();
    par.cleanup();
  }
}

test("repro: files written in the background are complete and identical to a -j 2 run's", () =>
  pair((s) => s.write(".gitignore", "/existing\n"), (seq, par) => {
    seq.ok("repro");
    par.ok("repro", "-j", "2");
    for (const f of ["dvc.lock", ".gitignore"]) assert.equal(seq.read(f), par.read(f), f);
    const runs = (s: Sandbox) => readdirSync(s.p(".dvc/cache/runs"), { recursive: true }).map(String).sort();
    assert.equal(runs(seq).filter((f) => f.split("/").length === 3).length, 3);
    assert.deepEqual(runs(seq), runs(par));
    for (const s of [seq, par]) assert.deepEqual(readdirSync(s.dir).filter((n) => n.endsWith(".tmp")), []);
    // two outputs of one stage: two .gitignore lines written back to back
    assert.match(seq.read(".gitignore"), /^\/existing\n\/a\.txt\n\/b\.txt\n\/c\.txt\n\/d\.txt\n$/);
    // a second run sees it all: nothing changed
    assert.match(seq.ok("repro").stdout, /Data and pipelines are up to date\./);
    // every stage restored from the run cache: dvc.lock written stage after stage with no
    // command in between, each write building on the one before
    const lock = seq.read("dvc.lock");
    for (const f of ["dvc.lock", "a.txt", "b.txt", "c.txt", "d.txt"]) rmSync(seq.p(f));
    const r = seq.ok("repro");
    assert.equal(r.stdout.match(/is cached - skipping run/g)?.length, 3, r.stdout);
    assert.equal(seq.read("dvc.lock"), lock);
  }));

test("repro: a background write that fails stops the run with its error (as -j 2 reports it), no stack trace", () =>
  // .gitignore is a directory: replacing it fails
  pair((s) => s.write(".gitignore/keep", ""), (seq, par) => {
    const r1 = seq.dvc("repro");
    const r2 = par.dvc("repro", "-j", "2");
    for (const r of [r1, r2]) {
      assert.equal(r.status, 255, r.stderr);
      assert.match(r.stderr, /^ERROR: unexpected error - EISDIR: illegal operation on a directory, rename '.*' -> '.*\/\.gitignore'\n$/);
    }
    // stopped at a stage boundary: never past the stage after the one whose write failed
    assert.equal(seq.exists("c.txt"), false, r1.stdout);
    assert.deepEqual(readdirSync(seq.dir).filter((n) => n.endsWith(".tmp")), []);
  }));
