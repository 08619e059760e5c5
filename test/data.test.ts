// Unit tests for src/data: hashing (spec §1, §12 V1/V4), `.dir` objects (§2, V2/V3/V5), the
// hash state store and the parallel hashing engine. Real temp directories throughout.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import {
  EMPTY_MD5,
  FileHasher,
  dos2unix,
  hashBytes,
  hashFile,
  hashFileSync,
  hashMany,
  isExec,
  isTextBlock,
  msFromNs,
} from "../src/data/hash.js";
import { IgnoreInCollectedDirError, WalkError, buildTree, makeTree, parseTree, treeBytes, treeBytesRaw, sortEntries, walkFiles } from "../src/data/tree.js";
import { StateStore, decodeState, encodeState } from "../src/data/state.js";
import { ObjectDB } from "../src/data/odb.js";

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "dvc-ts-data-"));
  made.push(d);
  return d;
}

function write(root: string, rel: string, content: string | Buffer): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

/** Every file under dir (relative), for checking that no temp files are left. */
function listAll(dir: string): string[] {
  const out: string[] = [];
  const rec = (d: string, pre: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) rec(path.join(d, e.name), pre + e.name + "/");
      else out.push(pre + e.name);
    }
  };
  if (fs.existsSync(dir)) rec(dir, "");
  return out.sort();
}

const V2_BYTES =
  '[{"md5": "b1946ac92492d2347c6235b4d2611184", "relpath": "a.txt"}, {"md5": "9dd4e461268c8034f5c8564e155c67a6", "relpath": "sub/b.txt"}]';
const V5_BYTES =
  '[{"md5": "c4ca4238a0b923820dcc509a6f75849b", "relpath": "a-b"}, {"md5": "eccbc87e4b5ce2fe28308fd9f2a7baf3", "relpath": "a.b"}, {"md5": "c81e728d9d4c2f636f067f89cc14862c", "relpath": "a/z"}, {"md5": "7b774effe4a349c6dd82ad4f4f21d34c", "relpath": "\\u00fc.txt"}, {"md5": "8fa14cdd754f91cc6554c9e71929cce7", "relpath": "\\uff46.txt"}, {"md5": "e1671797c52e15f763380b45e841ec32", "relpath": "\\ud83d\\ude00.txt"}]';

test("V1: md5 of raw bytes, in memory and on disk", async () => {
  const d = tmpdir();
  const cases: [string, string][] = [
    ["hello\n", "b1946ac92492d2347c6235b4d2611184"],
    ["x", "9dd4e461268c8034f5c8564e155c67a6"],
    ["", "d41d8cd98f00b204e9800998ecf8427e"],
  ];
  for (const [content, md5] of cases) {
    assert.equal(hashBytes(content), md5);
    const p = write(d, `f${md5}`, content);
    assert.deepEqual(await hashFile(p), { hash: md5, size: Buffer.byteLength(content) });
    assert.deepEqual(hashFileSync(p), { hash: md5, size: Buffer.byteLength(content) });
  }
  assert.equal(EMPTY_MD5, cases[2][1]);
});

test("V4: CRLF file, md5 vs md5-dos2unix", async () => {
  const d = tmpdir();
  const p = write(d, "crlf.txt", "a\r\nb\r\n");
  assert.equal((await hashFile(p, "md5")).hash, "59b0d7772f0561efb95518f3cb8abc60");
  assert.equal((await hashFile(p, "md5-dos2unix")).hash, "dd8c6a395b5dd36c56d23275028f526c");
  assert.equal(hashFileSync(p, "md5-dos2unix").hash, "dd8c6a395b5dd36c56d23275028f526c");
  assert.equal(hashBytes("a\r\nb\r\n", "md5-dos2unix"), "dd8c6a395b5dd36c56d23275028f526c");
});

test("dos2unix converts only CRLF pairs; the text test follows istextblock", () => {
  assert.equal(Buffer.from(dos2unix(Buffer.from("a\r\nb\rc\r\n\r"))).toString(), "a\nb\rc\n\r");
  assert.equal(isTextBlock(new Uint8Array(0)), true);
  assert.equal(isTextBlock(Buffer.from("abc\x00")), false);
  // 3 of 10 bytes outside the text set: 30% is still text, 4 of 10 is binary.
  assert.equal(isTextBlock(Buffer.from([0x80, 0x81, 0x82, 97, 97, 97, 97, 97, 97, 97])), true);
  assert.equal(isTextBlock(Buffer.from([0x80, 0x81, 0x82, 0x83, 97, 97, 97, 97, 97, 97])), false);
  // A binary file hashes the same both ways.
  const bin = Buffer.from([0, 13, 10, 1]);
  assert.equal(hashBytes(bin, "md5-dos2unix"), hashBytes(bin, "md5"));
});

test("md5-dos2unix decides per 1 MiB chunk (DVC 3.x rule), whatever the input chunking", async () => {
  const chunk1 = Buffer.alloc(1 << 20, 0x61);
  chunk1[0] = 0; // first chunk is binary: kept raw (its CRLFs too)
  chunk1.write("\r\n", 100, "latin1");
  const tail = Buffer.from("x\r\ny\r\n");
  const data = Buffer.concat([chunk1, tail]);
  const expected = hashBytes(Buffer.concat([chunk1, Buffer.from("x\ny\n")]), "md5");
  assert.equal(hashBytes(data, "md5-dos2unix"), expected);
  for (const step of [1000, 65536, (1 << 20) + 3, 3 << 20]) {
    const h = new FileHasher("md5-dos2unix");
    for (let off = 0; off < data.length; off += step) h.update(data.subarray(off, off + step));
    assert.equal(h.digest(), expected, `step ${step}`);
  }
  const d = tmpdir();
  const p = write(d, "mixed.bin", data);
  assert.equal((await hashFile(p, "md5-dos2unix")).hash, expected);
  assert.equal(hashFileSync(p, "md5-dos2unix").hash, expected);
  // A CRLF split across the chunk boundary is not converted.
  const split = Buffer.concat([Buffer.alloc((1 << 20) - 1, 0x62), Buffer.from("\r\nz")]);
  const splitExpected = hashBytes(Buffer.concat([Buffer.alloc((1 << 20) - 1, 0x62), Buffer.from("\r\nz")]), "md5");
  assert.equal(hashBytes(split, "md5-dos2unix"), splitExpected);
});

test("isExec: any execute bit", () => {
  assert.equal(isExec(0o100644), false);
  assert.equal(isExec(0o100744), true);
  assert.equal(isExec(0o100654), true);
  assert.equal(isExec(0o100645), true);
});

test("V2: directory object bytes, hash, size, nfiles; empty subdirs contribute nothing", async () => {
  const d = tmpdir();
  write(d, "data/a.txt", "hello\n");
  write(d, "data/sub/b.txt", "x");
  fs.mkdirSync(path.join(d, "data/empty/deeper"), { recursive: true });
  const t = await buildTree(path.join(d, "data"));
  assert.equal(t.bytes.toString("latin1"), V2_BYTES);
  assert.equal(t.bytes.length, 134);
  assert.equal(t.oid, "acc608e915526213240aeb8de922d86e.dir");
  assert.equal(t.size, 7);
  assert.equal(t.nfiles, 2);
  assert.deepEqual(
    t.entries.map((e) => e.size),
    [6, 1],
  );
});

test("V2 with a cache: objects written 0444, .dir included, no temp files left", async () => {
  const d = tmpdir();
  write(d, "data/a.txt", "hello\n");
  write(d, "data/sub/b.txt", "x");
  const odb = new ObjectDB(path.join(d, ".dvc/cache"));
  const t = await buildTree(path.join(d, "data"), { odb });
  const files = listAll(path.join(d, ".dvc/cache"));
  assert.deepEqual(files, [
    "files/md5/9d/d4e461268c8034f5c8564e155c67a6",
    "files/md5/ac/c608e915526213240aeb8de922d86e.dir",
    "files/md5/b1/946ac92492d2347c6235b4d2611184",
  ]);
  for (const f of files) assert.equal(fs.statSync(path.join(d, ".dvc/cache", f)).mode & 0o777, 0o444, f);
  assert.equal(fs.readFileSync(odb.oidToPath(t.oid), "latin1"), V2_BYTES);
  assert.deepEqual(t.counts, { hashed: 2, fromState: 0, stored: 2 });
  // Adding again stores nothing new.
  const again = await buildTree(path.join(d, "data"), { odb });
  assert.equal(again.counts.stored, 0);
  assert.deepEqual(listAll(path.join(d, ".dvc/cache")), files);
});

test("add-dir compat vector: unicode names are escaped and ordered by code point", async () => {
  const d = tmpdir();
  write(d, "data/a.txt", "hello\n");
  write(d, "data/sub/b.txt", "x");
  write(d, "data/ü.txt", "u\n");
  const t = await buildTree(path.join(d, "data"));
  assert.equal(t.oid, "4ad7e48232a2949ec4dc96ae6bc098f7.dir");
  assert.equal(t.bytes.length, 204);
  assert.equal(t.size, 9);
});

test("V3: an empty directory (or only empty dirs) is []", async () => {
  const d = tmpdir();
  fs.mkdirSync(path.join(d, "e/x/y"), { recursive: true });
  const t = await buildTree(path.join(d, "e"));
  assert.equal(t.bytes.toString(), "[]");
  assert.equal(t.oid, "d751713988987e9331980363e24189ce.dir");
  assert.equal(t.size, 0);
  assert.equal(t.nfiles, 0);
});

test("V5: code point order (not UTF-16) and ensure_ascii escaping", async () => {
  const d = tmpdir();
  const files: [string, string][] = [
    ["a-b", "1"],
    ["a.b", "3"],
    ["a/z", "2"],
    ["ü.txt", "u"],
    ["ｆ.txt", "f"],
    ["😀.txt", "e"],
  ];
  for (const [rel, c] of files) write(d, path.join("v5", rel), c);
  const t = await buildTree(path.join(d, "v5"));
  assert.equal(t.bytes.toString("latin1"), V5_BYTES);
  assert.equal(t.oid, "6d7d0062a4aefec21922f3ae51a7905f.dir");
  // Same result from a hand-made entry list in any order.
  const entries = files.map(([relpath, c]) => ({ relpath, md5: hashBytes(c) })).reverse();
  assert.equal(makeTree(entries).oid, t.oid);
});

test("treeBytes escapes quotes, backslashes and control characters like Python json", () => {
  const entries = sortEntries([{ relpath: 'q"b\\s\tt\x7f', md5: EMPTY_MD5 }]);
  assert.equal(
    treeBytes(entries).toString("latin1"),
    '[{"md5": "d41d8cd98f00b204e9800998ecf8427e", "relpath": "q\\"b\\\\s\\tt\\u007f"}]',
  );
});

test("parseTree round-trips and refuses corrupted or unsafe objects", () => {
  const entries = parseTree(Buffer.from(V2_BYTES), "acc6.dir");
  assert.deepEqual(entries, [
    { relpath: "a.txt", md5: "b1946ac92492d2347c6235b4d2611184" },
    { relpath: "sub/b.txt", md5: "9dd4e461268c8034f5c8564e155c67a6" },
  ]);
  const md5 = "b1946ac92492d2347c6235b4d2611184";
  const bad = [
    "not json",
    '{"md5": "x"}',
    "[1]",
    `[{"md5": "${md5}", "relpath": "a", "size": 1}]`,
    `[{"md5": "${md5}"}]`,
    `[{"md5": 5, "relpath": "a"}]`,
    `[{"md5": "../../etc/passwd0000000000000000", "relpath": "a"}]`,
    `[{"md5": "${md5}", "relpath": "../x"}]`,
    `[{"md5": "${md5}", "relpath": "a/../../x"}]`,
    `[{"md5": "${md5}", "relpath": "/etc/passwd"}]`,
    `[{"md5": "${md5}", "relpath": "a//b"}]`,
    `[{"md5": "${md5}", "relpath": "a/"}]`,
    `[{"md5": "${md5}", "relpath": "a\\\\b"}]`,
    `[{"md5": "${md5}", "relpath": "./a"}]`,
    `[{"md5": "${md5}", "relpath": ""}]`,
  ];
  for (const b of bad) {
    assert.throws(() => parseTree(b, "x.dir"), { name: "ObjectFormatError", message: "object x.dir is corrupted" }, b);
  }
});

test("walk: symlinked files are included, symlinked dirs skipped, broken links raise", async () => {
  const d = tmpdir();
  write(d, "target.txt", "hello\n");
  write(d, "outside/secret.txt", "s");
  write(d, "data/real.txt", "x");
  fs.symlinkSync(path.join(d, "target.txt"), path.join(d, "data/link.txt"));
  fs.symlinkSync(path.join(d, "outside"), path.join(d, "data/linkdir"));
  const t = await buildTree(path.join(d, "data"));
  assert.deepEqual(
    t.entries.map((e) => [e.relpath, e.md5, e.size]),
    [
      ["link.txt", "b1946ac92492d2347c6235b4d2611184", 6],
      ["real.txt", "9dd4e461268c8034f5c8564e155c67a6", 1],
    ],
  );
  fs.symlinkSync(path.join(d, "nowhere"), path.join(d, "data/broken"));
  await assert.rejects(walkFiles(path.join(d, "data")), WalkError);
});

test("a .dvcignore inside the collected dir is an error", async () => {
  const d = tmpdir();
  write(d, "data/a.txt", "a");
  write(d, "data/sub/.dvcignore", "");
  await assert.rejects(buildTree(path.join(d, "data")), (e: unknown) => {
    assert.ok(e instanceof IgnoreInCollectedDirError);
    assert.equal(e.message, `.dvcignore file should not be in collected dir path: '${path.join(d, "data/sub")}'`);
    return true;
  });
});

test("hashMany: many files on several threads, specials skipped, errors reported", async () => {
  const d = tmpdir();
  const paths: string[] = [];
  for (let i = 0; i < 600; i++) paths.push(write(d, `f/${i % 7}/${i}.txt`, `content ${i}\n`));
  const big = write(d, "big.bin", Buffer.alloc(9 << 20, 7));
  paths.push(big);
  const res = await hashMany(paths, { threads: 3, minItemsPerThread: 50 });
  for (let i = 0; i < 600; i++) {
    assert.equal(res[i]?.hash, hashBytes(`content ${i}\n`));
    assert.equal(res[i]?.size, Buffer.byteLength(`content ${i}\n`));
  }
  assert.equal(res[600]?.hash, hashBytes(Buffer.alloc(9 << 20, 7)));
  assert.equal(res[600]?.size, 9 << 20);
  const fifo = path.join(d, "dirpath");
  fs.mkdirSync(fifo);
  assert.equal((await hashMany([fifo]))[0], null);
  await assert.rejects(hashMany([path.join(d, "missing")]), /ENOENT/);
});

test("state store: hit, miss on change, persistence, racy entries kept in memory only", async () => {
  const d = tmpdir();
  const f = write(d, "data/a.txt", "hello\n");
  const old = new Date(Date.now() - 10000);
  fs.utimesSync(f, old, old);
  const st = fs.statSync(f, { bigint: true });
  const key = { ino: st.ino, mtimeNs: st.mtimeNs, size: Number(st.size) };
  const s = StateStore.open(d);
  assert.equal(s.lookup(f, key), undefined);
  s.set(f, key, "md5", "b1946ac92492d2347c6235b4d2611184");
  assert.equal(s.lookup(f, key), "b1946ac92492d2347c6235b4d2611184");
  assert.equal(s.lookup(f, key, "md5-dos2unix"), undefined);
  assert.equal(s.lookup(f, { ...key, mtimeNs: key.mtimeNs + 1n }), undefined);
  assert.equal(s.lookup(f, { ...key, size: 7 }), undefined);
  // A file modified just now is racy: usable in this process, not persisted.
  const racy = write(d, "data/new.txt", "x");
  const rst = fs.statSync(racy, { bigint: true });
  const rkey = { ino: rst.ino, mtimeNs: rst.mtimeNs, size: 1 };
  s.set(racy, rkey, "md5", "9dd4e461268c8034f5c8564e155c67a6");
  assert.equal(s.lookup(racy, rkey), "9dd4e461268c8034f5c8564e155c67a6");
  const written = path.join(d, "data/written.txt");
  s.set(written, rkey, "md5", "9dd4e461268c8034f5c8564e155c67a6", { trusted: true });
  s.save();
  assert.ok(fs.existsSync(path.join(d, ".dvc/tmp/dvc-ts/state")));
  assert.deepEqual(
    fs.readdirSync(path.join(d, ".dvc/tmp/dvc-ts")),
    ["state"],
  );
  const s2 = StateStore.open(d);
  assert.equal(s2.lookup(f, key), "b1946ac92492d2347c6235b4d2611184");
  assert.equal(s2.lookup(racy, rkey), undefined);
  assert.equal(s2.lookup(written, rkey), "9dd4e461268c8034f5c8564e155c67a6");
  s2.delete(f);
  s2.save();
  assert.equal(StateStore.open(d).lookup(f, key), undefined);
});

test("state store: unchanged files are not re-read by buildTree", async () => {
  const d = tmpdir();
  for (let i = 0; i < 20; i++) write(d, `data/${i}.txt`, `n${i}`);
  const old = new Date(Date.now() - 10000);
  for (let i = 0; i < 20; i++) fs.utimesSync(path.join(d, `data/${i}.txt`), old, old);
  const s = StateStore.open(d);
  const first = await buildTree(path.join(d, "data"), { state: s });
  assert.deepEqual(first.counts, { hashed: 20, fromState: 0, stored: 0 });
  s.save();
  const s2 = StateStore.open(d);
  const second = await buildTree(path.join(d, "data"), { state: s2 });
  assert.deepEqual(second.counts, { hashed: 0, fromState: 20, stored: 0 });
  assert.equal(second.oid, first.oid);
  // A modified file (new mtime and content) is re-hashed; the others still come from the state.
  write(d, "data/3.txt", "changed");
  const third = await buildTree(path.join(d, "data"), { state: s2 });
  assert.notEqual(third.oid, first.oid);
  assert.deepEqual(third.counts, { hashed: 1, fromState: 19, stored: 0 });
});

test("msFromNs gives the very double Node's plain stat reports as mtimeMs", () => {
  const d = tmpdir();
  const f = write(d, "t.bin", "x");
  // Fractional microseconds, whole seconds, before 1970, far future.
  for (const t of [1700000000.123457, 1700000000, 1234.000001, -12345.678901, -1, 4102444800.999999, 0.5]) {
    fs.utimesSync(f, t, t);
    const plain = fs.statSync(f);
    const big = fs.statSync(f, { bigint: true });
    assert.equal(msFromNs(big.mtimeNs), plain.mtimeMs, `mtime ${t}`);
  }
});

test("state store: a 1 µs mtime change (same inode and size) is a miss", async () => {
  const d = tmpdir();
  for (let i = 0; i < 3; i++) write(d, `data/${i}.txt`, `n${i}`);
  // touch(1) sets nanoseconds exactly (fs.utimes rounds to microseconds).
  const sec = Math.floor(Date.now() / 1000) - 100;
  const touch = (rel: string, ns: string) => execFileSync("touch", ["-m", "-d", `@${sec}.${ns}`, path.join(d, rel)]);
  for (let i = 0; i < 3; i++) touch(`data/${i}.txt`, "250000000");
  assert.equal(fs.statSync(path.join(d, "data/1.txt"), { bigint: true }).mtimeNs, BigInt(sec) * 1000000000n + 250000000n);
  const s = StateStore.open(d);
  const first = await buildTree(path.join(d, "data"), { state: s });
  assert.deepEqual(first.counts, { hashed: 3, fromState: 0, stored: 0 });
  touch("data/1.txt", "250001000");
  const second = await buildTree(path.join(d, "data"), { state: s });
  assert.deepEqual(second.counts, { hashed: 1, fromState: 2, stored: 0 });
  assert.equal(second.oid, first.oid);
});

test("state file encoding round-trips, garbage is ignored", () => {
  const e = { ino: 123n, mtimeNs: 1795345270408547419n, size: 6, name: "md5" as const, hash: "b1946ac92492d2347c6235b4d2611184" };
  const l = { ...e, name: "md5-dos2unix" as const, hash: "dd8c6a395b5dd36c56d23275028f526c" };
  const buf = encodeState([
    ["a/ü.txt", e],
    ["/abs/x", l],
  ]);
  const t = decodeState(buf)!;
  assert.deepEqual(t.keys, ["a/ü.txt", "/abs/x"]);
  assert.equal(t.ino[0], 123n);
  assert.equal(t.mtimeNs[0], 1795345270408547419n);
  assert.equal(t.size[1], 6);
  assert.equal(t.name[1], 1);
  assert.equal(decodeState(Buffer.from("garbage")), null);
  assert.equal(decodeState(buf.subarray(0, buf.length - 1)), null);
  const d = tmpdir();
  fs.mkdirSync(path.join(d, ".dvc/tmp/dvc-ts"), { recursive: true });
  fs.writeFileSync(path.join(d, ".dvc/tmp/dvc-ts/state"), "not a state file");
  assert.equal(StateStore.open(d).size, 0);
});

test("state lookups by ordered merge agree with direct lookups (gaps, unsorted input)", () => {
  const d = tmpdir();
  const s = StateStore.open(d);
  const key = (i: number) => ({ ino: BigInt(i), mtimeNs: 1000n + BigInt(i), size: i });
  const p = (i: number) => path.join(d, "data", `f${String(i).padStart(4, "0")}`);
  for (let i = 0; i < 300; i += 3) s.set(p(i), key(i), "md5", hashBytes(String(i)), { trusted: true });
  s.set(path.join(d, "other/x"), key(1), "md5-dos2unix", EMPTY_MD5, { trusted: true });
  s.save();
  const s2 = StateStore.open(d);
  const asc = Array.from({ length: 320 }, (_, i) => p(i));
  for (const paths of [asc, [...asc].reverse(), [asc[299], asc[0], asc[150], asc[3]]]) {
    const k = s2.knownFor(paths);
    paths.forEach((q, j) => {
      const i = asc.indexOf(q);
      const expected = i % 3 === 0 && i < 300;
      assert.equal(k.has[j], expected ? 1 : 0, q);
      if (expected) {
        assert.equal(k.ino[j], BigInt(i));
        assert.equal(k.mtimeNs[j], 1000n + BigInt(i));
        assert.equal(Buffer.from(k.digest.subarray(16 * j, 16 * j + 16)).toString("hex"), hashBytes(String(i)));
        assert.equal(s2.lookup(q, key(i)), hashBytes(String(i)));
      }
    });
  }
  assert.equal(s2.knownFor([path.join(d, "other/x")], "md5").has[0], 0);
  assert.equal(s2.knownFor([path.join(d, "other/x")], "md5-dos2unix").has[0], 1);
});

test("treeBytesRaw (straight from digests) writes the same bytes as treeBytes", () => {
  const rels = ["a", 'q"uote', "back\\slash", "tab\there", "new\nline", "caf\u00e9/x", "\u4e2d\u6587/f", "dir/sub/file.bin", "\u007f", " sp ace"].sort();
  const digest = new Uint8Array(16 * (rels.length + 3));
  for (let i = 0; i < digest.length; i++) digest[i] = (i * 37 + 11) & 0xff;
  // index picks every other digest slot, as buildTree does when files are skipped
  const index = rels.map((_, k) => k + (k % 2));
  const hex = (i: number): string => Buffer.from(digest.subarray(16 * i, 16 * i + 16)).toString("hex");
  const entries = rels.map((relpath, k) => ({ relpath, md5: hex(index[k]) }));
  assert.ok(treeBytesRaw(rels, index, digest).equals(treeBytes(entries)));
  assert.equal(treeBytesRaw([], [], digest).toString(), "[]");
});

test("buildTree: the same oid and bytes whether entries are built or not; entries on demand", async () => {
  const d = tmpdir();
  for (let i = 0; i < 30; i++) write(d, `t/${i % 3}/f${i}`, `content ${i}`);
  write(d, "t/caf\u00e9", "accent");
  const tree = await buildTree(path.join(d, "t"));
  const again = makeTree(tree.entries.map((e) => ({ ...e })));
  assert.equal(again.oid, tree.oid);
  assert.ok(again.bytes.equals(tree.bytes));
  assert.equal(tree.nfiles, 31);
  assert.equal(tree.entries.length, 31);
  assert.equal(tree.size, again.size);
});

test("big files (read in chunks, yielding between them): same hashes as in memory, also two at once", async () => {
  const d = tmpdir();
  // over BIG_FILE, not a multiple of the read size; text chunks with CRLFs and a binary chunk
  const text = Buffer.alloc(5 << 20, "line\r\n");
  const bin = Buffer.alloc(5 << 20, 7);
  bin[0] = 0;
  const a = Buffer.concat([text, bin, Buffer.from("tail\r\n")]);
  const b = Buffer.concat([bin, text]);
  const pa = write(d, "a.bin", a);
  const pb = write(d, "b.bin", b);
  for (const name of ["md5", "md5-dos2unix"] as const) {
    const [ra, rb] = await Promise.all([hashFile(pa, name), hashFile(pb, name)]);
    assert.deepEqual(ra, { hash: hashBytes(a, name), size: a.length }, name);
    assert.deepEqual(rb, { hash: hashBytes(b, name), size: b.length }, name);
    assert.notEqual(ra.hash, rb.hash);
  }
  assert.notEqual(hashBytes(a, "md5"), hashBytes(a, "md5-dos2unix"));
});
