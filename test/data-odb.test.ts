// Unit tests for src/data/odb.ts and src/data/checkout.ts: cache layout and permissions
// (spec §3.1–3.2), the 0444 trust rule, atomic writes, link types and checkout (§3.3), and the
// path-safety guarantees of directory checkout.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hashBytes } from "../src/data/hash.js";
import { ObjectDB } from "../src/data/odb.js";
import { buildTree, ObjectFormatError } from "../src/data/tree.js";
import { StateStore } from "../src/data/state.js";
import {
  checkoutFile,
  checkoutTree,
  ensureDirs,
  linkObject,
  planTreeCheckout,
  parseLinkTypes,
  relinkFile,
  unprotect,
  type LinkType,
} from "../src/data/checkout.js";

const made: string[] = [];
after(() => {
  for (const d of made) {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

function tmpdir(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dvc-ts-odb-")));
  made.push(d);
  return d;
}

function write(root: string, rel: string, content: string | Buffer = ""): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

function mode(p: string): number {
  return fs.statSync(p).mode & 0o7777;
}

function tmpFiles(dir: string): string[] {
  const out: string[] = [];
  const rec = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) rec(p);
      else if (e.name.endsWith(".tmp")) out.push(p);
    }
  };
  if (fs.existsSync(dir)) rec(dir);
  return out;
}

const UMASK = (() => {
  const u = process.umask(0o022);
  process.umask(u);
  return u;
})();
const FRESH = 0o666 & ~UMASK;
const HELLO = "b1946ac92492d2347c6235b4d2611184";

test("layout: 3.x files/md5/XX/rest, legacy XX/rest, .dir suffix kept, malformed oids refused", () => {
  const c = "/c";
  assert.equal(new ObjectDB(c).oidToPath(HELLO), "/c/files/md5/b1/946ac92492d2347c6235b4d2611184");
  assert.equal(new ObjectDB(c, { legacy: true }).oidToPath(HELLO), "/c/b1/946ac92492d2347c6235b4d2611184");
  assert.equal(new ObjectDB(c).oidToPath("acc608e915526213240aeb8de922d86e.dir"), "/c/files/md5/ac/c608e915526213240aeb8de922d86e.dir");
  assert.equal(new ObjectDB(c, { legacy: true }).hashName, "md5-dos2unix");
  for (const bad of ["../../etc/passwd", "abc", HELLO.toUpperCase(), HELLO + "/x"]) {
    assert.throws(() => new ObjectDB(c).oidToPath(bad), /invalid object id/);
  }
});

test("addBytes and addFile write atomically: mode 0444, dir mode from umask, no temp files", async () => {
  const d = tmpdir();
  const odb = new ObjectDB(path.join(d, "cache"));
  assert.equal(await odb.addBytes(null, Buffer.from("hello\n")), HELLO);
  const p = odb.oidToPath(HELLO);
  assert.equal(fs.readFileSync(p, "utf8"), "hello\n");
  assert.equal(mode(p), 0o444);
  assert.equal(mode(path.dirname(p)), 0o777 & ~UMASK);
  const src = write(d, "ws/x.txt", "x");
  const fh = await odb.addFile(src);
  assert.equal(fh.hash, "9dd4e461268c8034f5c8564e155c67a6");
  assert.equal(fh.stored, true);
  assert.equal(mode(odb.oidToPath(fh.hash)), 0o444);
  // Again: already present, nothing stored.
  assert.equal((await odb.addFile(src)).stored, false);
  assert.equal((await odb.addFile(src, { oid: fh.hash })).stored, false);
  // A big file goes through the streaming hash-while-copy path.
  const bigData = Buffer.alloc((9 << 20) + 123);
  for (let i = 0; i < bigData.length; i += 4096) bigData[i] = i & 0xff;
  const big = write(d, "ws/big.bin", bigData);
  const bh = await odb.addFile(big);
  assert.equal(bh.hash, hashBytes(bigData));
  assert.equal(bh.size, bigData.length);
  assert.ok(fs.readFileSync(odb.oidToPath(bh.hash)).equals(bigData));
  assert.equal(mode(odb.oidToPath(bh.hash)), 0o444);
  assert.deepEqual(tmpFiles(path.join(d, "cache")), []);
  assert.deepEqual((await odb.listOids()).sort(), [bh.hash, HELLO, fh.hash].sort());
});

test("shared cache: prefix dirs get 0o2775", async () => {
  const d = tmpdir();
  const odb = new ObjectDB(path.join(d, "cache"), { shared: true });
  await odb.addBytes(null, Buffer.from("hello\n"));
  assert.equal(mode(path.dirname(odb.oidToPath(HELLO))), 0o2775);
  assert.equal(odb.fileMode, 0o664);
});

test("trust rule: 0444 is trusted, other modes are re-hashed and deleted when wrong", async () => {
  const d = tmpdir();
  const odb = new ObjectDB(path.join(d, "cache"));
  await odb.addBytes(null, Buffer.from("hello\n"));
  const p = odb.oidToPath(HELLO);
  // Tampered but still 0444: trusted without hashing (DVC's rule).
  fs.chmodSync(p, 0o644);
  fs.writeFileSync(p, "evil\n");
  fs.chmodSync(p, 0o444);
  assert.deepEqual(await odb.check(HELLO), { size: 5, mode: 0o444 });
  // Mode 0644 and wrong content: detected, deleted.
  fs.chmodSync(p, 0o644);
  await assert.rejects(odb.check(HELLO), (e: unknown) => e instanceof ObjectFormatError && e.message === `object ${HELLO} is corrupted`);
  assert.equal(fs.existsSync(p), false);
  await assert.rejects(odb.check(HELLO), { code: "ENOENT" });
  // Mode 0644 and right content: accepted and protected again.
  fs.writeFileSync(p, "hello\n", { mode: 0o644 });
  fs.chmodSync(p, 0o644);
  assert.deepEqual(await odb.check(HELLO), { size: 6, mode: 0o444 });
  assert.equal(mode(p), 0o444);
  const many = await odb.checkMany([HELLO, "9dd4e461268c8034f5c8564e155c67a6"]);
  assert.deepEqual([...many.ok], [HELLO]);
  assert.deepEqual([...many.missing], ["9dd4e461268c8034f5c8564e155c67a6"]);
});

test("existing() and remove(); listOids skips anything not shaped XX/rest", async () => {
  const d = tmpdir();
  const odb = new ObjectDB(path.join(d, "cache"), { legacy: true });
  const a = await odb.addBytes(null, Buffer.from("a"));
  const b = await odb.addBytes(null, Buffer.from("b"));
  write(d, "cache/runs/aa/bb/cc", "run");
  write(d, "cache/files/md5/xx/yy", "new layout");
  write(d, "cache/zz/notanobject", "junk");
  write(d, `cache/${a.slice(0, 2)}/.tmpfile.tmp`, "tmp");
  assert.deepEqual((await odb.listOids()).sort(), [a, b].sort());
  assert.deepEqual([...(await odb.existing([a, b, HELLO]))].sort(), [a, b].sort());
  assert.equal(await odb.remove([a, HELLO]), 1);
  assert.deepEqual(await odb.listOids(), [b]);
});

test("treeComplete: remembers a complete tree per prefix dir fingerprints and notices removals", async () => {
  const d = tmpdir();
  const repo = path.join(d, "repo");
  for (let i = 0; i < 40; i++) write(repo, `data/f${i}`, `content ${i}`);
  const state = StateStore.open(repo);
  const odb = new ObjectDB(path.join(repo, ".dvc", "cache"), { state });
  const tree = await buildTree(path.join(repo, "data"), { odb, state });
  // Prefix dirs changed in the last 50 ms are not remembered (same-tick changes): age them.
  const past = new Date(Date.now() - 60_000);
  const prefixes = [...new Set(tree.entries.map((e) => e.md5.slice(0, 2)))];
  for (const pre of prefixes) fs.utimesSync(path.join(odb.base, pre), past, past);
  assert.equal(await odb.treeComplete(tree.oid), true);
  const memo = state.verifiedTree(odb.base, tree.oid);
  assert.deepEqual(Object.keys(memo ?? {}).sort(), prefixes.sort());
  assert.ok(Object.values(memo!).every((fp) => /^\d+:\d+$/.test(fp)));
  // Persisted with the state, and read back by a new store.
  state.save();
  const state2 = StateStore.open(repo);
  assert.deepEqual(state2.verifiedTree(odb.base, tree.oid), memo);
  const odb2 = new ObjectDB(path.join(repo, ".dvc", "cache"), { state: state2 });
  assert.equal(await odb2.treeComplete(tree.oid), true);
  // Removing one object changes its prefix directory: only that prefix is checked again.
  const victim = tree.entries[7].md5;
  const victimPath = odb2.oidToPath(victim);
  const saved = fs.readFileSync(victimPath);
  fs.rmSync(victimPath, { force: true });
  assert.equal(await odb2.treeComplete(tree.oid), false);
  assert.equal(state2.verifiedTree(odb.base, tree.oid), undefined);
  // Put back (as a fresh, unprotected file): re-hashed under the trust rule and complete again.
  fs.writeFileSync(victimPath, saved);
  assert.equal(await odb2.treeComplete(tree.oid), true);
  assert.equal(mode(victimPath), 0o444);
  // A corrupted object that is not trusted (mode not 0444) in a changed prefix is found.
  fs.chmodSync(victimPath, 0o644);
  fs.writeFileSync(victimPath, "garbage");
  fs.utimesSync(path.dirname(victimPath), new Date(), new Date());
  assert.equal(await odb2.treeComplete(tree.oid), false);
  assert.equal(fs.existsSync(victimPath), false);
  // A missing .dir object is never complete, whatever the memo says.
  fs.rmSync(odb2.oidToPath(tree.oid), { force: true });
  assert.equal(await odb2.treeComplete(tree.oid), false);
});

test("buildTree into a cache remembers a tree whose objects it all wrote; not one that reused objects", async () => {
  const d = tmpdir();
  const repo = path.join(d, "repo");
  for (let i = 0; i < 30; i++) write(repo, `data/f${i}`, `content ${i % 25}`); // with duplicates
  const state = StateStore.open(repo);
  const odb = new ObjectDB(path.join(repo, ".dvc", "cache"), { state });
  const tree = await buildTree(path.join(repo, "data"), { odb, state });
  const memo = state.verifiedTree(odb.base, tree.oid);
  const prefixes = [...new Set(tree.entries.map((e) => e.md5.slice(0, 2)))].sort();
  assert.deepEqual(Object.keys(memo ?? {}).sort(), prefixes);
  // A fingerprint per prefix directory, or "" for one written too recently to be trusted yet
  // (how many depends on timing).
  assert.ok(Object.values(memo!).every((fp) => fp === "" || /^\d+:\d+$/.test(fp)));
  assert.equal(await odb.treeComplete(tree.oid), true);
  // Settled directories get real fingerprints, but only if every object is still listed.
  const past = new Date(Date.now() - 60_000);
  for (const pre of prefixes) fs.utimesSync(path.join(odb.base, pre), past, past);
  const oids = [...new Set(tree.entries.map((e) => e.md5))];
  odb.rememberStored(tree.oid, oids);
  assert.ok(Object.values(state.verifiedTree(odb.base, tree.oid)!).every((fp) => /^\d+:\d+$/.test(fp)));
  assert.equal(await odb.treeComplete(tree.oid), true);
  state.setVerifiedTree(odb.base, tree.oid, null);
  odb.rememberStored(tree.oid, [...oids, prefixes[0] + "0".repeat(30)]);
  assert.equal(state.verifiedTree(odb.base, tree.oid), undefined);
  // A whole prefix directory gone is noticed, whatever was remembered.
  odb.rememberStored(tree.oid, oids);
  assert.ok(state.verifiedTree(odb.base, tree.oid));
  fs.rmSync(path.join(odb.base, prefixes[0]), { recursive: true, force: true });
  assert.equal(await odb.treeComplete(tree.oid), false);
  // A second directory made of objects already in the cache gets no memo from buildTree.
  for (let i = 0; i < 5; i++) write(repo, `copy/f${i}`, `content ${i}`);
  const state2 = StateStore.open(repo);
  const odb2 = new ObjectDB(path.join(repo, ".dvc", "cache"), { state: state2 });
  const again = await buildTree(path.join(repo, "copy"), { odb: odb2, state: state2 });
  assert.equal(again.counts.stored, 0);
  assert.equal(state2.verifiedTree(odb2.base, again.oid), undefined);
});

test("parseLinkTypes: default reflink,copy; config strings; unknown types refused", () => {
  assert.deepEqual(parseLinkTypes(undefined), ["reflink", "copy"]);
  assert.deepEqual(parseLinkTypes("hardlink, symlink"), ["hardlink", "symlink"]);
  assert.deepEqual(parseLinkTypes(["copy"]), ["copy"]);
  assert.throws(() => parseLinkTypes("teleport"), /unsupported cache type/);
});

async function cacheWith(d: string, content: string): Promise<{ odb: ObjectDB; oid: string }> {
  const odb = new ObjectDB(path.join(d, "cache"));
  return { odb, oid: await odb.addBytes(null, Buffer.from(content)) };
}

test("link types: copy, reflink (falls back to copy on ext4), hardlink, symlink", async () => {
  const d = tmpdir();
  const { odb, oid } = await cacheWith(d, "hello\n");
  const src = odb.oidToPath(oid);
  const cases: [LinkType[], string][] = [
    [["copy"], "copy"],
    [["reflink", "copy"], "?"],
    [["hardlink"], "hardlink"],
    [["symlink"], "symlink"],
  ];
  for (const [types, expect] of cases) {
    const dest = path.join(d, "ws", types.join("-"), "f.txt");
    const p = linkObject(src, dest, { types, expect: oid });
    assert.equal(fs.readFileSync(dest, "utf8"), "hello\n");
    if (expect !== "?") assert.equal(p.type, expect);
    if (p.type === "copy" || p.type === "reflink") {
      assert.equal(mode(dest), FRESH);
      assert.notEqual(fs.statSync(dest).ino, fs.statSync(src).ino);
    } else if (p.type === "hardlink") {
      assert.equal(fs.statSync(dest).ino, fs.statSync(src).ino);
    } else {
      assert.equal(fs.readlinkSync(dest), src);
    }
    assert.deepEqual(tmpFiles(path.dirname(dest)), []);
  }
  assert.equal(mode(src), 0o444);
});

test("hardlink of an empty object creates a new empty file; isexec adds u+x to copies only", async () => {
  const d = tmpdir();
  const { odb, oid } = await cacheWith(d, "");
  const dest = path.join(d, "ws/empty");
  const p = linkObject(odb.oidToPath(oid), dest, { types: ["hardlink"] });
  assert.notEqual(fs.statSync(dest).ino, fs.statSync(odb.oidToPath(oid)).ino);
  assert.equal(p.size, 0);
  const { oid: sh } = await cacheWith(d, "#!/bin/sh\necho hi\n");
  const exe = path.join(d, "ws/run.sh");
  linkObject(odb.oidToPath(sh), exe, { types: ["copy"], isexec: true });
  assert.equal(mode(exe), FRESH | 0o100);
  const linked = path.join(d, "ws/run-link.sh");
  linkObject(odb.oidToPath(sh), linked, { types: ["hardlink"], isexec: true });
  assert.equal(mode(odb.oidToPath(sh)), 0o444, "the cache object keeps 0444");
});

test("checkoutFile: added, unchanged, modified, missing, corrupted", async () => {
  const d = tmpdir();
  const { odb, oid } = await cacheWith(d, "hello\n");
  const state = StateStore.memory(d);
  const dest = path.join(d, "ws/data.csv");
  assert.deepEqual(await checkoutFile(dest, oid, odb, { state }), { status: "added", type: "copy" });
  assert.deepEqual(await checkoutFile(dest, oid, odb, { state }), { status: "unchanged" });
  fs.writeFileSync(dest, "changed\n");
  assert.equal((await checkoutFile(dest, oid, odb, { state, dryRun: true })).status, "modified");
  assert.equal(fs.readFileSync(dest, "utf8"), "changed\n");
  assert.equal((await checkoutFile(dest, oid, odb, { state })).status, "modified");
  assert.equal(fs.readFileSync(dest, "utf8"), "hello\n");
  fs.rmSync(dest);
  assert.equal((await checkoutFile(dest, "9dd4e461268c8034f5c8564e155c67a6", odb)).status, "missing");
  // A corrupted, unprotected object is detected while copying, deleted, and not placed.
  const p = odb.oidToPath(oid);
  fs.chmodSync(p, 0o644);
  fs.writeFileSync(p, "evil\n");
  assert.equal((await checkoutFile(dest, oid, odb)).status, "corrupted");
  assert.equal(fs.existsSync(dest), false);
  assert.equal(fs.existsSync(p), false);
});

test("relinkFile after add: same inode, mode set (u+x for isexec), state kept", async () => {
  const d = tmpdir();
  const odb = new ObjectDB(path.join(d, "cache"));
  const f = write(d, "run.sh", "#!/bin/sh\necho hi\n");
  fs.chmodSync(f, 0o755);
  const fh = await odb.addFile(f);
  const ino = fs.statSync(f).ino;
  const p = await relinkFile(f, fh.hash, odb, { isexec: fh.isexec, hashed: fh });
  assert.equal(p.type, "copy");
  assert.equal(fs.statSync(f).ino, ino);
  assert.equal(mode(f), FRESH | 0o100);
  // Not the hashed file any more (changed inode): the object is placed again.
  fs.rmSync(f);
  fs.writeFileSync(f, "#!/bin/sh\necho hi\n");
  await relinkFile(f, fh.hash, odb, { isexec: false, hashed: fh });
  assert.equal(mode(f), FRESH);
  assert.equal(fs.readFileSync(f, "utf8"), "#!/bin/sh\necho hi\n");
});

test("unprotect: linked files become private writable copies", async () => {
  const d = tmpdir();
  const { odb, oid } = await cacheWith(d, "hello\n");
  const h = path.join(d, "ws/h.txt");
  const s = path.join(d, "ws/s.txt");
  linkObject(odb.oidToPath(oid), h, { types: ["hardlink"] });
  linkObject(odb.oidToPath(oid), s, { types: ["symlink"] });
  await unprotect(path.join(d, "ws"));
  for (const f of [h, s]) {
    assert.equal(fs.lstatSync(f).isSymbolicLink(), false);
    assert.equal(fs.statSync(f).nlink, 1);
    assert.equal(mode(f), FRESH);
    assert.equal(fs.readFileSync(f, "utf8"), "hello\n");
  }
  assert.equal(mode(odb.oidToPath(oid)), 0o444);
  await assert.rejects(unprotect(path.join(d, "nope")), /can't unprotect non-existing data/);
});

async function addedDir(): Promise<{ d: string; odb: ObjectDB; oid: string; entries: Awaited<ReturnType<ObjectDB["loadTree"]>> }> {
  const d = tmpdir();
  write(d, "data/a.txt", "hello\n");
  write(d, "data/sub/b.txt", "x");
  write(d, "data/sub/deeper/c.txt", "c");
  const odb = new ObjectDB(path.join(d, ".dvc/cache"));
  const t = await buildTree(path.join(d, "data"), { odb });
  return { d, odb, oid: t.oid, entries: await odb.loadTree(t.oid) };
}

for (const types of [["copy"], ["reflink", "copy"], ["hardlink"], ["symlink"]] as LinkType[][]) {
  test(`checkoutTree (${types.join(",")}): restore, no-op, modify, extra files`, async () => {
    const { d, odb, entries } = await addedDir();
    const data = path.join(d, "data");
    fs.rmSync(data, { recursive: true });
    const state = StateStore.memory(d);
    const r1 = await checkoutTree(data, entries, odb, { types, state });
    assert.deepEqual(r1.added, ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]);
    assert.equal(r1.created, true);
    assert.equal(fs.readFileSync(path.join(data, "sub/deeper/c.txt"), "utf8"), "c");
    const r2 = await checkoutTree(data, entries, odb, { types, state });
    assert.deepEqual([r2.added, r2.modified, r2.unchanged], [[], [], 3]);
    fs.rmSync(path.join(data, "a.txt"));
    fs.writeFileSync(path.join(data, "a.txt"), "changed");
    write(d, "data/extra.txt", "e");
    const r3 = await checkoutTree(data, entries, odb, { types, state, removeExtra: true });
    assert.deepEqual([r3.added, r3.modified, r3.deleted], [[], ["a.txt"], ["extra.txt"]]);
    assert.equal(fs.readFileSync(path.join(data, "a.txt"), "utf8"), "hello\n");
    assert.equal(fs.existsSync(path.join(data, "extra.txt")), false);
    assert.deepEqual(tmpFiles(data), []);
    for (const o of await odb.listOids()) assert.equal(mode(odb.oidToPath(o)), 0o444);
  });
}

test("planTreeCheckout: the plan lists changes and missing objects; apply() does them once", async () => {
  const { d, odb, entries } = await addedDir();
  const data = path.join(d, "data");
  fs.writeFileSync(path.join(data, "a.txt"), "changed");
  fs.rmSync(path.join(data, "sub/b.txt"));
  write(d, "data/extra.txt", "e");
  await odb.remove(["4a8a08f09d37b73795649038408b5f33"]); // "c"
  const plan = await planTreeCheckout(data, entries, odb, { removeExtra: true });
  assert.deepEqual([plan.added, plan.modified, plan.deleted, plan.missing], [["sub/b.txt"], ["a.txt"], ["extra.txt"], []]);
  fs.rmSync(path.join(data, "sub/deeper/c.txt"));
  const again = await planTreeCheckout(data, entries, odb, { removeExtra: true });
  assert.deepEqual(again.missing, ["sub/deeper/c.txt"]);
  const r = await again.apply();
  assert.deepEqual([r.added, r.modified, r.deleted, r.missing], [["sub/b.txt"], ["a.txt"], ["extra.txt"], ["sub/deeper/c.txt"]]);
  assert.equal(await again.apply(), r);
  assert.equal(fs.readFileSync(path.join(data, "a.txt"), "utf8"), "hello\n");
  assert.equal(fs.existsSync(path.join(data, "extra.txt")), false);
});

test("checkoutTree reports objects missing from the cache and restores the rest", async () => {
  const { d, odb, entries } = await addedDir();
  const data = path.join(d, "data");
  fs.rmSync(data, { recursive: true });
  await odb.remove(["9dd4e461268c8034f5c8564e155c67a6"]);
  const r = await checkoutTree(data, entries, odb);
  assert.deepEqual(r.missing, ["sub/b.txt"]);
  assert.deepEqual(r.added, ["a.txt", "sub/deeper/c.txt"]);
  assert.equal(fs.existsSync(path.join(data, "sub/b.txt")), false);
});

test("checkoutTree with many files uses worker threads and matches the tree", async () => {
  const d = tmpdir();
  for (let i = 0; i < 900; i++) write(d, `data/d${i % 9}/f${i}.txt`, `file ${i}\n`);
  const odb = new ObjectDB(path.join(d, ".dvc/cache"));
  const t = await buildTree(path.join(d, "data"), { odb, threads: 3, minItemsPerThread: 100 });
  fs.rmSync(path.join(d, "data"), { recursive: true });
  let last = 0;
  const r = await checkoutTree(path.join(d, "data"), t.entries, odb, { threads: 3, minItemsPerThread: 100, onProgress: (n) => (last = n) });
  assert.equal(r.added.length, 900);
  assert.equal(last, 900);
  const again = await buildTree(path.join(d, "data"));
  assert.equal(again.oid, t.oid);
});

test("security: unsafe relpaths are refused before anything is written", async () => {
  const d = tmpdir();
  const { odb, oid } = await cacheWith(d, "hello\n");
  const root = path.join(d, "ws/data");
  for (const rel of ["../escape.txt", "a/../../escape.txt", "/tmp/abs.txt", "a//b", "a\\..\\b"]) {
    await assert.rejects(checkoutTree(root, [{ relpath: "ok.txt", md5: oid }, { relpath: rel, md5: oid }], odb), /unsafe path/, rel);
  }
  assert.equal(fs.existsSync(path.join(d, "ws/escape.txt")), false);
  assert.equal(fs.existsSync(root), false);
});

test("security: a symlinked directory inside the target is replaced, never written through", async () => {
  const d = tmpdir();
  const { odb, oid } = await cacheWith(d, "hello\n");
  const outside = path.join(d, "outside");
  fs.mkdirSync(outside);
  const root = path.join(d, "ws/data");
  fs.mkdirSync(root, { recursive: true });
  fs.symlinkSync(outside, path.join(root, "sub"));
  const r = await checkoutTree(root, [{ relpath: "sub/f.txt", md5: oid }], odb);
  assert.deepEqual(r.added, ["sub/f.txt"]);
  assert.deepEqual(fs.readdirSync(outside), []);
  assert.equal(fs.lstatSync(path.join(root, "sub")).isDirectory(), true);
  // ensureDirs on its own does the same.
  fs.rmSync(path.join(root, "sub"), { recursive: true });
  fs.symlinkSync(outside, path.join(root, "sub"));
  ensureDirs(root, ["sub/x"]);
  assert.equal(fs.lstatSync(path.join(root, "sub")).isSymbolicLink(), false);
  assert.deepEqual(fs.readdirSync(outside), []);
});

test("checkout of a legacy (md5-dos2unix) tree hashes the workspace with the legacy rule", async () => {
  const d = tmpdir();
  const legacy = new ObjectDB(path.join(d, "cache"), { legacy: true });
  const oid = await legacy.addBytes(null, Buffer.from("a\r\nb\r\n"));
  assert.equal(oid, "dd8c6a395b5dd36c56d23275028f526c");
  assert.ok(fs.existsSync(path.join(d, "cache/dd/8c6a395b5dd36c56d23275028f526c")));
  const root = path.join(d, "ws");
  const r1 = await checkoutTree(root, [{ relpath: "crlf.txt", md5: oid }], legacy);
  assert.deepEqual(r1.added, ["crlf.txt"]);
  assert.equal(fs.readFileSync(path.join(root, "crlf.txt"), "latin1"), "a\r\nb\r\n");
  const r2 = await checkoutTree(root, [{ relpath: "crlf.txt", md5: oid }], legacy);
  assert.equal(r2.unchanged, 1);
});

test("checkoutFile does not remove a non-empty directory unless forced", async () => {
  const d = tmpdir();
  const { odb, oid } = await cacheWith(d, "hello\n");
  const dest = path.join(d, "ws/out");
  write(d, "ws/out/user.txt", "precious");
  await assert.rejects(checkoutFile(dest, oid, odb), /non-empty directory/);
  assert.equal(fs.readFileSync(path.join(dest, "user.txt"), "utf8"), "precious");
  assert.equal((await checkoutFile(dest, oid, odb, { force: true })).status, "modified");
  assert.equal(fs.readFileSync(dest, "utf8"), "hello\n");
});

test("checkoutTree never deletes a .dvcignore found inside the output", async () => {
  const { d, odb, entries } = await addedDir();
  write(d, "data/sub/.dvcignore", "*.log\n");
  const r = await checkoutTree(path.join(d, "data"), entries, odb, { removeExtra: true });
  assert.deepEqual(r.deleted, []);
  assert.ok(fs.existsSync(path.join(d, "data/sub/.dvcignore")));
});
