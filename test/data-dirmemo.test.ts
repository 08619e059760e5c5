// The directory memo (src/data/dirmemo.ts): a big directory whose listing did not change is not
// walked again, and whatever changed, buildTree gives the tree a full walk and hash gives.
// Real directories; mtimes set into the past so that entries are not racy.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildTree } from "../src/data/tree.js";
import { StateStore } from "../src/data/state.js";
import { DvcIgnoreFilter } from "../src/data/ignore.js";
import { Sandbox } from "./helpers/sandbox.js";

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A repository-like root (memos live in `.dvc/tmp/dvc-ts/dirs`) with `data/` of n files. */
function setup(n: number): { root: string; data: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dvc-ts-memo-"));
  made.push(root);
  fs.mkdirSync(path.join(root, ".dvc", "tmp"), { recursive: true });
  const data = path.join(root, "data");
  for (let i = 0; i < n; i++) {
    const p = path.join(data, `d${i % 4}`, i % 3 === 0 ? `deep/f${i}.txt` : `f${i}.txt`);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, `file ${i}\n`);
  }
  return { root, data };
}

let clock = Date.now() / 1000 - 100_000;
/** Set every file and directory under `dir` (and `dir`) to a fresh past time: nothing racy. */
function age(dir: string): void {
  clock += 10;
  const visit = (p: string): void => {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) visit(path.join(p, n));
    if (!st.isSymbolicLink()) fs.utimesSync(p, clock, clock);
  };
  visit(dir);
}

/** Set one path to a fresh past time (its directory keeps its own). */
function touchPast(p: string): void {
  clock += 10;
  fs.utimesSync(p, clock, clock);
}

async function viaMemo(root: string, data: string): Promise<{ oid: string; fromMemo: boolean; nfiles: number }> {
  const state = StateStore.open(root);
  const t = await buildTree(data, { state, ignore: new DvcIgnoreFilter(root), threads: 1 });
  state.save();
  return { oid: t.oid, fromMemo: t.fromMemo, nfiles: t.nfiles };
}

/** The tree a full walk and hash gives (no state, no memo). */
async function truth(root: string, data: string): Promise<string> {
  return (await buildTree(data, { ignore: new DvcIgnoreFilter(root), threads: 1 })).oid;
}

test("a memo stands in for the walk while no listed directory changed; edits in place are re-hashed", async () => {
  const { root, data } = setup(400);
  age(data);
  const first = await viaMemo(root, data);
  assert.equal(first.fromMemo, false);
  assert.equal(first.oid, await truth(root, data));
  assert.equal(fs.readdirSync(path.join(root, ".dvc", "tmp", "dvc-ts", "dirs")).length, 1);
  const second = await viaMemo(root, data);
  assert.deepEqual(second, { ...first, fromMemo: true });
  // Same size, new content and mtime, directory untouched: the memo is used, the file re-read.
  const f = path.join(data, "d1", "f1.txt");
  const dirTime = fs.statSync(path.dirname(f)).mtimeMs;
  fs.writeFileSync(f, "FILE 1\n");
  touchPast(f);
  assert.equal(fs.statSync(path.dirname(f)).mtimeMs, dirTime);
  const third = await viaMemo(root, data);
  assert.equal(third.fromMemo, true);
  assert.notEqual(third.oid, first.oid);
  assert.equal(third.oid, await truth(root, data));
  // The memo was refreshed: the next run takes the edited file unread, same tree.
  assert.deepEqual(await viaMemo(root, data), third);
});

test("added, deleted and renamed files, new subdirectories, sub-repos and .dvcignore changes all count", async () => {
  const { root, data } = setup(900);
  age(data);
  await viaMemo(root, data);
  const steps: [string, () => void][] = [
    ["add a file", () => fs.writeFileSync(path.join(data, "d2", "new.txt"), "new\n")],
    ["delete a file", () => fs.rmSync(path.join(data, "d0", "deep", "f0.txt"))],
    ["rename a file", () => fs.renameSync(path.join(data, "d1", "f5.txt"), path.join(data, "d1", "g5.txt"))],
    ["new subdirectory", () => fs.mkdirSync(path.join(data, "d3", "sub", "x"), { recursive: true })],
    ["file in it", () => fs.writeFileSync(path.join(data, "d3", "sub", "x", "y.txt"), "y\n")],
    ["sub-repo", () => fs.mkdirSync(path.join(data, "d2", "deep", ".dvc"))],
    ["root .dvcignore", () => {
      fs.writeFileSync(path.join(root, ".dvcignore"), "f1*.txt\n");
      touchPast(path.join(root, ".dvcignore"));
    }],
    ["its patterns change (same size, later mtime)", () => {
      fs.writeFileSync(path.join(root, ".dvcignore"), "f2*.txt\n");
      touchPast(path.join(root, ".dvcignore"));
    }],
    ["file becomes a directory", () => {
      fs.rmSync(path.join(data, "d3", "f7.txt"));
      fs.mkdirSync(path.join(data, "d3", "f7.txt"));
      fs.writeFileSync(path.join(data, "d3", "f7.txt", "in.txt"), "in\n");
    }],
  ];
  for (const [what, change] of steps) {
    change();
    const expected = await truth(root, data);
    // Right after the change (racy: no memo written), then once everything is old.
    assert.equal((await viaMemo(root, data)).oid, expected, what);
    age(data);
    assert.equal((await viaMemo(root, data)).oid, expected, `${what} (aged)`);
    const again = await viaMemo(root, data);
    assert.equal(again.oid, expected, `${what} (memo)`);
    assert.equal(again.fromMemo, true, `${what}: the new listing is remembered`);
  }
});

test("no memo for a directory holding symlinks, nor for recent (racy) files", async () => {
  const { root, data } = setup(300);
  fs.symlinkSync(path.join(data, "d1", "f1.txt"), path.join(data, "d0", "link.txt"));
  age(data);
  await viaMemo(root, data);
  const linked = await viaMemo(root, data);
  assert.equal(linked.fromMemo, false);
  assert.equal(linked.oid, await truth(root, data));
  // ...nor while an ignore file above is racy
  fs.rmSync(path.join(data, "d0", "link.txt"));
  age(data);
  fs.writeFileSync(path.join(root, ".dvcignore"), "nothing-matches\n");
  await viaMemo(root, data);
  assert.equal((await viaMemo(root, data)).fromMemo, false, "a .dvcignore changed just now");
  touchPast(path.join(root, ".dvcignore"));
  await viaMemo(root, data);
  assert.equal((await viaMemo(root, data)).fromMemo, true);
  // Fresh files: nothing may be trusted yet, even in directories that look old.
  const fresh = setup(300);
  await viaMemo(fresh.root, fresh.data);
  assert.equal((await viaMemo(fresh.root, fresh.data)).fromMemo, false);
  const stamp = Date.now() / 1000 - 50_000;
  const dirsOnly = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) dirsOnly(path.join(d, e.name));
    fs.utimesSync(d, stamp, stamp);
  };
  const f = path.join(fresh.data, "d1", "f1.txt");
  fs.writeFileSync(f, "now\n");
  dirsOnly(fresh.data);
  await viaMemo(fresh.root, fresh.data);
  assert.equal((await viaMemo(fresh.root, fresh.data)).fromMemo, false, "a file changed just now is not remembered");
});

test("random edits: the tree through the memo is always the tree of a full walk", async () => {
  const { root, data } = setup(320);
  age(data);
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const files = (): string[] => {
    const out: string[] = [];
    const visit = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) visit(path.join(d, e.name));
        else out.push(path.join(d, e.name));
      }
    };
    visit(data);
    return out.sort();
  };
  for (let round = 0; round < 25; round++) {
    const all = files();
    for (let k = rnd(4); k >= 0; k--) {
      const f = all[rnd(all.length)];
      switch (rnd(4)) {
        case 0: // edit in place, past mtime, directory untouched
          fs.writeFileSync(f, `edit ${round} ${k} ${rnd(1000)}\n`);
          touchPast(f);
          break;
        case 1: // same bytes rewritten: new mtime only
          fs.writeFileSync(f, fs.readFileSync(f));
          touchPast(f);
          break;
        case 2:
          fs.rmSync(f, { force: true });
          break;
        default:
          fs.writeFileSync(path.join(path.dirname(f), `n${round}-${k}.txt`), `new ${round}\n`);
      }
    }
    if (rnd(2) === 0) age(data);
    assert.equal((await viaMemo(root, data)).oid, await truth(root, data), `round ${round}`);
  }
});

test("dvc status sees an edit inside a tracked directory once a memo exists", () => {
  const s = new Sandbox();
  try {
    s.ok("init", "-q");
    for (let i = 0; i < 300; i++) s.write(`data/s${i % 5}/f${i}.txt`, `v ${i}\n`);
    s.ok("add", "-q", "data");
    age(path.join(s.dir, "data"));
    assert.equal(s.ok("status").stdout, "Data and pipelines are up to date.\n");
    assert.equal(s.ok("status").stdout, "Data and pipelines are up to date.\n");
    assert.equal(fs.readdirSync(path.join(s.dir, ".dvc", "tmp", "dvc-ts", "dirs")).length, 1);
    const f = path.join(s.dir, "data", "s3", "f3.txt");
    fs.writeFileSync(f, "V 3\n");
    touchPast(f);
    assert.equal(s.ok("status").stdout, "data.dvc:\n\tchanged outs:\n\t\tmodified:           data\n");
  } finally {
    s.cleanup();
  }
});
