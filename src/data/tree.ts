// Directory objects (`.dir`), as dvc_data/hashfile/tree.py and build.py define them:
// - the file set: os.walk without following symlinked directories, symlinked files taken with
//   their target's content, `.dvcignore`d entries and DVC sub-repos left out, empty dirs
//   contributing nothing, and a `.dvcignore` inside the tracked dir being an error;
// - the bytes: Python `json.dumps(sorted list, sort_keys=True)` of {"md5", "relpath"} entries,
//   sorted by relpath in code point order, ASCII-escaped, no trailing newline;
// - hash = md5(bytes) + ".dir", size = sum of file sizes, nfiles = number of entries;
// - parsing a `.dir` back, refusing anything that could write outside the target directory.
import * as fs from "node:fs";
import * as path from "node:path";
import { DvcException } from "../errors.js";
import { cmpCodepoint, jsonString } from "../util/py.js";
import { F_DONE, F_HASHED, F_KNOWN, F_SPECIAL, F_STORED, HashError, allocKnownHashes, digestHex, hashManyRaw, md5Bytes, type HashName, type HashResults } from "./hash.js";
import { prewarmWorkers, type ParallelOptions } from "./parallel.js";
import { DVCIGNORE_FILE, type DvcIgnoreFilter, type PatternSet } from "./ignore.js";
import type { StateStore } from "./state.js";
import type { ObjectDB } from "./odb.js";
import { DirMemoStore, MIN_FILES, dirsUnchanged, ignoreFingerprint, knownFromMemo, statDir, type DirMemo, type DirStat } from "./dirmemo.js";

/** One file of a directory object. */
export interface TreeEntry {
  /** POSIX path relative to the tracked directory. */
  relpath: string;
  /** Hex md5 (for legacy trees, the md5-dos2unix value). */
  md5: string;
  /** Known when built from the workspace; not stored in `.dir` (nor is any exec bit). */
  size?: number;
}

/** A directory object: its entries (sorted), bytes and hash. */
export interface DirTree {
  entries: TreeEntry[];
  bytes: Buffer;
  /** md5 of `bytes` + ".dir". */
  oid: string;
  size: number;
  nfiles: number;
}

/** A `.dir` object that cannot be used (dvc_objects ObjectFormatError). */
export class ObjectFormatError extends DvcException {}

/** dvc_data IgnoreInCollectedDirError. */
export class IgnoreInCollectedDirError extends DvcException {
  constructor(
    readonly ignoreFile: string,
    readonly dirname: string,
  ) {
    super(`${ignoreFile} file should not be in collected dir path: '${dirname}'`);
  }
}

/** A broken symlink (or a file that vanished) met while walking. */
export class WalkError extends DvcException {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

const SURROGATE = /[\ud800-\udfff]/;

/** Sort entries by relpath in Python (code point) order, in place. */
export function sortEntries<T extends { relpath: string }>(entries: T[]): T[] {
  // Without surrogates, UTF-16 code unit order equals code point order: use the fast compare.
  const astral = entries.some((e) => SURROGATE.test(e.relpath));
  if (astral) entries.sort((a, b) => cmpCodepoint(a.relpath, b.relpath));
  else entries.sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0));
  return entries;
}

const PLAIN_JSON = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const MD5_HEX = /^[0-9a-f]{32}$/;

/** The exact `.dir` bytes of entries already sorted by `sortEntries` (see treeBytesRaw). */
export function treeBytes(sorted: readonly TreeEntry[]): Buffer {
  const digest = new Uint8Array(16 * sorted.length);
  sorted.forEach((e, k) => {
    if (!MD5_HEX.test(e.md5)) throw new Error(`treeBytes: '${e.md5}' is not a lowercase hex md5`);
    digest.set(Buffer.from(e.md5, "hex"), 16 * k);
  });
  return treeBytesRaw(
    sorted.map((e) => e.relpath),
    sorted.map((_, k) => k),
    digest,
  );
}

const HEX_DIGITS = "0123456789abcdef";

/**
 * The `.dir` bytes (Python `json.dumps` of `{"md5", "relpath"}` entries) for relpaths given in
 * order with raw 16-byte digests (`digest` at 16 × `index[k]` for relpath k), written straight
 * into one buffer: no entry objects, hex strings or joined strings (for 20,000 entries those
 * cost 20–80 ms, mostly GC). Everything written is ASCII (JSON escapes are ASCII-only).
 */
export function treeBytesRaw(rels: readonly string[], index: readonly number[], digest: Uint8Array): Buffer {
  const n = rels.length;
  const quoted = new Array<string | null>(n);
  let len = 2 + (n > 0 ? 2 * (n - 1) : 0);
  for (let k = 0; k < n; k++) {
    const rel = rels[k];
    const plain = PLAIN_JSON.test(rel);
    quoted[k] = plain ? null : jsonString(rel);
    len += 9 + 32 + 14 + (plain ? rel.length + 2 : quoted[k]!.length) + 1;
  }
  const buf = Buffer.allocUnsafe(len);
  let o = 0;
  const put = (str: string): void => {
    for (let c = 0; c < str.length; c++) buf[o++] = str.charCodeAt(c);
  };
  buf[o++] = 0x5b; // [
  for (let k = 0; k < n; k++) {
    if (k > 0) put(", ");
    put('{"md5": "');
    const base = 16 * index[k];
    for (let b = 0; b < 16; b++) {
      const v = digest[base + b];
      buf[o++] = HEX_DIGITS.charCodeAt(v >> 4);
      buf[o++] = HEX_DIGITS.charCodeAt(v & 15);
    }
    put('", "relpath": ');
    const q = quoted[k];
    if (q === null) {
      buf[o++] = 0x22;
      put(rels[k]);
      buf[o++] = 0x22;
    } else put(q);
    buf[o++] = 0x7d; // }
  }
  buf[o++] = 0x5d; // ]
  if (o !== len) throw new Error(`treeBytesRaw: wrote ${o} of ${len} bytes`);
  return buf;
}

/** Build a directory object from entries (any order; the array is sorted in place). */
export function makeTree(entries: TreeEntry[]): DirTree {
  return treeFromSorted(sortEntries(entries));
}

function treeFromSorted(entries: TreeEntry[]): DirTree {
  const bytes = treeBytes(entries);
  let size = 0;
  for (const e of entries) size += e.size ?? 0;
  return { entries, bytes, oid: md5Bytes(bytes) + ".dir", size, nfiles: entries.length };
}

const HEX32 = /^[0-9a-fA-F]{32}$/;
/** Anything `unsafeRelpath` may object to (one regex test for the common, clean case). */
const SUSPICIOUS = /^\/|\\|\0|\/\/|\/$|(^|\/)\.\.?(\/|$)|^[A-Za-z]:/;
const WINDOWS = process.platform === "win32";

/** Why a relpath from a `.dir` object is unsafe, or null when it is fine. */
export function unsafeRelpath(rel: string): string | null {
  if (!SUSPICIOUS.test(rel) && rel.length > 0) return null;
  if (rel.length === 0) return "empty path";
  if (rel.startsWith("/")) return "absolute path";
  if (rel.includes("\\")) return "backslash in path";
  if (rel.includes("\0")) return "NUL in path";
  if (WINDOWS && /^[A-Za-z]:/.test(rel)) return "drive letter in path";
  for (const seg of rel.split("/")) {
    if (seg === "") return "empty path segment";
    if (seg === "." || seg === "..") return `'${seg}' path segment`;
  }
  return null;
}

/**
 * Parse `.dir` bytes. Refuses (ObjectFormatError "object <oid> is corrupted") invalid JSON, a
 * non-list, entries that are not exactly {md5, relpath} strings, md5 values that are not 32 hex
 * digits, and relpaths that are absolute, contain `..`/`.`/empty segments, backslashes or NUL.
 * Duplicate relpaths keep the last entry, like DVC's dict.
 */
export function parseTree(bytes: Uint8Array | string, oid = "?"): TreeEntry[] {
  const bad = (why: string): ObjectFormatError => {
    const e = new ObjectFormatError(`object ${oid} is corrupted`);
    e.cause = why;
    return e;
  };
  let raw: unknown;
  try {
    raw = JSON.parse(typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8"));
  } catch {
    throw bad("invalid JSON");
  }
  if (!Array.isArray(raw)) throw bad("not a list");
  const out: TreeEntry[] = new Array(raw.length);
  let ordered = true;
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw bad("entry is not an object");
    const rec = item as Record<string, unknown>;
    const { md5, relpath } = rec;
    if (typeof md5 !== "string" || typeof relpath !== "string" || keyCount(rec) !== 2) {
      throw bad("entry must hold exactly md5 and relpath");
    }
    if (!HEX32.test(md5)) throw bad(`bad md5 '${md5}'`);
    const why = unsafeRelpath(relpath);
    if (why) throw bad(`${why}: '${relpath}'`);
    if (i > 0 && !(out[i - 1].relpath < relpath)) ordered = false;
    out[i] = { relpath, md5: md5.toLowerCase() };
  }
  return ordered ? out : dedupe(out);
}

function keyCount(o: object): number {
  let n = 0;
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) n++;
  return n;
}

/** Keep the last entry of each relpath (DVC builds a dict), in first-seen order. */
function dedupe(entries: TreeEntry[]): TreeEntry[] {
  const byPath = new Map<string, TreeEntry>();
  for (const e of entries) {
    byPath.delete(e.relpath);
    byPath.set(e.relpath, e);
  }
  return [...byPath.values()];
}

/** A regular file found by `walkFiles`. */
export interface WalkedFile {
  abs: string;
  /** POSIX path relative to the walked directory. */
  rel: string;
}

export interface WalkOptions {
  ignore?: DvcIgnoreFilter;
  /** Raise IgnoreInCollectedDirError for a `.dvcignore` inside (default true). */
  forbidIgnoreFile?: boolean;
  /** Collect here the (inode, mtime) of every directory listed, taken before listing it. */
  dirStats?: DirStat[];
  /** Called for each symlink met. */
  onSymlink?: () => void;
}

interface DirJob {
  abs: string;
  rel: string;
  /** Root-relative path for the ignore filter, null outside the repo / without filter. */
  repoRel: string | null;
}

/**
 * The files of `dir` with os.walk semantics (see the header); unsorted. Symlinked files are
 * included (their content is the target's), symlinked directories skipped, broken links raise.
 * With an ignore filter, `.dvcignore`d entries and sub-repos (dirs holding `.dvc`) are left out.
 */
export async function walkFiles(dir: string, opts: WalkOptions = {}): Promise<WalkedFile[]> {
  const top = path.resolve(dir);
  const ignore = opts.ignore;
  const forbid = opts.forbidIgnoreFile ?? true;
  const files: WalkedFile[] = [];
  // Synchronous, breadth-first: on a local disk readdirSync is ~4x cheaper than the callback
  // API with a concurrency limit (12 ms against 50 ms for 101 directories of 20,000 files).
  let level: DirJob[] = [{ abs: top, rel: "", repoRel: ignore ? ignore.relOf(top) : null }];
  while (level.length) {
    const next: DirJob[] = [];
    for (const job of level) {
      if (opts.dirStats) {
        const st = statDir(job.abs);
        if (st) opts.dirStats.push({ rel: job.rel, ...st });
      }
      const dirents = fs.readdirSync(job.abs, { withFileTypes: true });
      // DVC tests `exists(dir/.dvc)`: any entry of that name makes the directory a sub-repo.
      if (ignore && job.repoRel !== null && ignore.isSubrepo(job.repoRel, dirents.some((d) => d.name === ".dvc"))) continue;
      const set =
        ignore && job.repoRel !== null
          ? ignore.setFor(job.repoRel, dirents.some((d) => d.name === DVCIGNORE_FILE && !d.isDirectory()))
          : undefined;
      const prefix = job.rel ? job.rel + "/" : "";
      const repoPrefix = job.repoRel ? job.repoRel + "/" : "";
      const byName = set?.leafMatcher();
      const isIgnored = (name: string, isDir: boolean): boolean =>
        set !== undefined && job.repoRel !== null && (byName ? byName(name, isDir) : set.matchesLeaf(repoPrefix + name, isDir));
      const addFile = (name: string): void => {
        if (isIgnored(name, false)) return;
        if (forbid && name === DVCIGNORE_FILE) throw new IgnoreInCollectedDirError(DVCIGNORE_FILE, job.abs);
        files.push({ abs: `${job.abs}${path.sep}${name}`, rel: prefix + name });
      };
      const links: string[] = [];
      for (const d of dirents) {
        if (d.isDirectory()) {
          if (isIgnored(d.name, true)) continue;
          next.push({
            abs: `${job.abs}${path.sep}${d.name}`,
            rel: prefix + d.name,
            repoRel: job.repoRel !== null ? repoPrefix + d.name : null,
          });
        } else if (d.isFile()) addFile(d.name);
        else if (d.isSymbolicLink()) {
          links.push(d.name);
          opts.onSymlink?.();
        }
        // Sockets, FIFOs and devices are not data: skipped.
      }
      for (const name of links) {
        const abs = `${job.abs}${path.sep}${name}`;
        let st: fs.Stats;
        try {
          st = fs.statSync(abs);
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          throw new WalkError(abs, err.code, `broken symlink or unreadable file: '${abs}'`);
        }
        // A symlinked directory is not followed (os.walk followlinks=False).
        if (st.isFile()) addFile(name);
      }
    }
    level = next;
  }
  return files;
}

export interface BuildOptions extends ParallelOptions {
  ignore?: DvcIgnoreFilter;
  /** Reuse hashes of unchanged files, and record new ones. */
  state?: StateStore;
  /** Also store every file (in the same read) and the `.dir` object into this cache. */
  odb?: ObjectDB;
  /** Hash name for the files (default: the odb's, else md5). */
  hashName?: HashName;
  /** How many files the directory had last time (its `.dvc` meta), to start workers early. */
  expectFiles?: number;
}

/** From this many files (each a stat at least), a second thread pays for its start-up. */
export const PREWARM_FILES = 4000;

/** A directory object built from the workspace. */
export interface BuiltTree extends DirTree {
  /** Files read and hashed / taken from the state unread / newly written into the cache. */
  counts: { hashed: number; fromState: number; stored: number };
  /** Whether the directory memo stood in for the walk (see dirmemo.ts). */
  fromMemo: boolean;
}

/**
 * Hash a directory into a `.dir` object (see the header). With `odb`, files and the `.dir`
 * object are written into the cache while hashing; with `state`, unchanged files are not read,
 * and a big directory whose listing is unchanged since the last walk is not walked again.
 */
export async function buildTree(dir: string, opts: BuildOptions = {}): Promise<BuiltTree> {
  const name: HashName = opts.hashName ?? opts.odb?.hashName ?? "md5";
  const top = path.resolve(dir);
  const startMs = Date.now();
  const memos = opts.state ? DirMemoStore.besideState(opts.state.file) : null;
  const ignore = memos ? ignoreFingerprint(opts.ignore ? opts.ignore.root : null, top) : { fp: "", newestNs: 0n };
  const ignoreFp = ignore.fp;
  if (memos && !opts.odb) {
    const memo = memos.load(top, name);
    if (memo && memo.ignore === ignoreFp && dirsUnchanged(memo)) {
      const paths = memo.rels.map((r) => `${top}${path.sep}${r}`);
      let out: HashResults | null = null;
      try {
        // One thread: with no walk to overlap, a worker's start-up (~80 ms of CPU on a 2-core
        // machine) costs the stats more than it takes off them, unless files must be read.
        out = await hashManyRaw(paths, { ...opts, name, known: knownFromMemo(memo, allocKnownHashes), threads: opts.threads ?? 1 });
      } catch (e) {
        // Something changed under us (a file gone, a link broken): walk as if there were no memo.
        if (!(e instanceof HashError)) throw e;
      }
      if (out) return finishTree(memo.rels, paths, out, opts, name, { memos, dir: top, memo, ignoreFp, ignoreNewestNs: ignore.newestNs, startMs, dirs: memo.dirs, links: false });
    }
  }
  // Storing into the cache is write-bound and worth a second thread, and so is stat-ing many
  // files already in the state: start workers now so that their start-up overlaps the walk.
  if (opts.threads !== 1 && (opts.odb || (opts.expectFiles ?? 0) >= PREWARM_FILES)) prewarmWorkers(opts.threads);
  const dirs: DirStat[] = [];
  let links = false;
  const walked = await walkFiles(dir, {
    ignore: opts.ignore,
    dirStats: memos ? dirs : undefined,
    onSymlink: () => {
      links = true;
    },
  });
  // Code unit order: the state lookups below then run as an ordered merge.
  walked.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const paths = walked.map((w) => w.abs);
  const known = opts.state?.knownFor(paths, name);
  const out = await hashManyRaw(paths, { ...opts, name, known, store: opts.odb?.storeSpec() });
  return finishTree(
    walked.map((w) => w.rel),
    paths,
    out,
    opts,
    name,
    memos ? { memos, dir: top, memo: null, ignoreFp, ignoreNewestNs: ignore.newestNs, startMs, dirs, links } : null,
  );
}

interface MemoContext {
  memos: DirMemoStore;
  /** The directory (absolute). */
  dir: string;
  /** The walk met a symlink: no memo (a linked directory is skipped, and what it points to can
   * change without any listed directory changing). */
  links: boolean;
  /** The memo the files came from (null after a walk). */
  memo: DirMemo | null;
  ignoreFp: string;
  /** The newest mtime among the ignore files (racy check). */
  ignoreNewestNs: bigint;
  startMs: number;
  dirs: DirStat[];
}

/** The tree of hashed files `rels` (code unit order), recording state entries and the memo. */
async function finishTree(
  rels: string[],
  paths: string[],
  out: HashResults,
  opts: BuildOptions,
  name: HashName,
  mc: MemoContext | null,
): Promise<BuiltTree> {
  const counts = { hashed: 0, fromState: 0, stored: 0 };
  // The files that made it into the tree (not special, not failed), in walk (code unit) order.
  const kept: number[] = [];
  let astral = false;
  let size = 0;
  for (let i = 0; i < rels.length; i++) {
    const f = out.flags[i];
    if (f & F_SPECIAL || !(f & F_DONE)) continue;
    kept.push(i);
    size += out.size[i];
    if (!astral && SURROGATE.test(rels[i])) astral = true;
    if (f & F_KNOWN) counts.fromState++;
    if (f & F_STORED) counts.stored++;
    if (f & F_HASHED) {
      counts.hashed++;
      opts.state?.set(paths[i], { ino: out.ino[i], mtimeNs: out.mtimeNs[i], size: out.size[i] }, name, digestHex(out, i));
    }
  }
  const entryAt = (i: number): TreeEntry => ({ relpath: rels[i], md5: digestHex(out, i), size: out.size[i] });
  let tree: DirTree;
  if (mc?.memo && counts.hashed === 0 && kept.length === mc.memo.rels.length) {
    // Every file as the memo has it: the same tree. Its bytes are made only if asked for.
    const oid = mc.memo.oid;
    let bytes: Buffer | undefined;
    let entries: TreeEntry[] | undefined;
    const sorted = (): TreeEntry[] => (entries ??= astral ? sortEntries(kept.map(entryAt)) : kept.map(entryAt));
    tree = {
      get entries(): TreeEntry[] {
        return sorted();
      },
      get bytes(): Buffer {
        return (bytes ??= astral ? treeBytes(sorted()) : treeBytesRaw(kept.map((i) => rels[i]), kept, out.digest));
      },
      oid,
      size,
      nfiles: kept.length,
    };
  } else if (astral) {
    // Code point order differs from code unit order: sort real entries.
    tree = makeTree(kept.map(entryAt));
  } else {
    // The common case writes the .dir bytes straight from the hash results; the entries (20,000
    // objects and strings a no-op `status` never looks at) are built only if someone asks.
    const bytes = treeBytesRaw(kept.map((i) => rels[i]), kept, out.digest);
    let entries: TreeEntry[] | undefined;
    tree = {
      get entries(): TreeEntry[] {
        return (entries ??= kept.map(entryAt));
      },
      bytes,
      oid: md5Bytes(bytes) + ".dir",
      size,
      nfiles: kept.length,
    };
  }
  if (opts.odb) {
    await opts.odb.addBytes(tree.oid, tree.bytes);
    // Every object written just now (none taken on trust from before; duplicates written once):
    // the tree is complete.
    if (counts.stored > 0 && counts.fromState === 0) {
      const oids = kept.map((i) => digestHex(out, i));
      const stored = new Set(oids.filter((_, k) => (out.flags[kept[k]] & F_STORED) !== 0));
      if (oids.every((o) => stored.has(o))) opts.odb.rememberStored(tree.oid, [...stored]);
    }
  }
  // A memo for next time: after a walk, or when files changed since the memo (not when it was
  // used as it was). Only regular files of the tree go in; special files came and went with a
  // directory change.
  if (mc && !mc.links && kept.length >= MIN_FILES && kept.length === rels.length && (mc.memo === null || counts.hashed > 0)) {
    const n = kept.length;
    const memo: DirMemo = {
      dir: mc.dir,
      hashName: name,
      ignore: mc.ignoreFp,
      dirs: mc.dirs,
      rels: kept.map((i) => rels[i]),
      ino: new BigInt64Array(n),
      mtimeNs: new BigInt64Array(n),
      size: new Float64Array(n),
      digest: new Uint8Array(16 * n),
      oid: tree.oid,
    };
    for (let k = 0; k < n; k++) {
      const i = kept[k];
      memo.ino[k] = out.ino[i];
      memo.mtimeNs[k] = out.mtimeNs[i];
      memo.size[k] = out.size[i];
      memo.digest.set(out.digest.subarray(16 * i, 16 * i + 16), 16 * k);
    }
    mc.memos.save(memo, mc.startMs, mc.ignoreNewestNs);
  }
  return Object.assign(tree, { counts, fromMemo: mc?.memo != null });
}
