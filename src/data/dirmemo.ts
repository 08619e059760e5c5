// The directory memo: what the last full walk of a big tracked directory found, so that a later
// `status` (or any hash of that directory) can skip the walk and the state lookups and go
// straight to one stat per file. Ours alone (`.dvc/tmp/dvc-ts/dirs/`, safe to delete).
//
// A memo holds, for one directory and hash name:
// - every directory the walk listed (or skipped as a sub-repo), with its inode and mtime taken
//   *before* it was listed: while a directory's (inode, mtime) is the same, its entries are the
//   same names of the same kinds (creating, deleting or renaming an entry changes the mtime);
// - the (inode, mtime, size) of every `.dvcignore` that applies from the repository root down
//   (the walk's filter: a changed pattern file changes the set of files);
// - every file (relative path in tree order) with the (inode, mtime, size) and digest it had.
// A memo is used only when all of the directories and ignore files still match; the files are
// then stat-ed as the state store would (a changed one is read and hashed again), so the memo
// never makes a result differ from a full walk: it only removes the walk and the lookups.
// Like the state store, nothing with an mtime within RACY_MARGIN of the walk's start is trusted
// (no memo is written then). Memos are written atomically, for directories of MIN_FILES files
// or more, at most MAX_MEMOS of them (oldest dropped).
import * as fs from "node:fs";
import * as path from "node:path";
import { textKey } from "../util/hash64.js";
import { writeOwnCacheFile } from "../util/fs.js";
import type { HashName, KnownHashes } from "./hash.js";
import { DVCIGNORE_FILE } from "./ignore.js";

const FORMAT = 1;
const MAGIC = "dvc-ts-dirmemo";
export const MIN_FILES = 256;
const MAX_MEMOS = 32;
const RACY_MARGIN_NS = 50n * 1000000n;

export interface DirStat {
  /** POSIX path relative to the memo's directory ("" for itself). */
  rel: string;
  ino: bigint;
  mtimeNs: bigint;
}

export interface DirMemo {
  /** Absolute path of the directory. */
  dir: string;
  hashName: HashName;
  /** Fingerprint of the `.dvcignore` files that apply (see `ignoreFingerprint`). */
  ignore: string;
  dirs: DirStat[];
  /** Files in tree order (code unit order of `rels`). */
  rels: string[];
  ino: BigInt64Array;
  mtimeNs: BigInt64Array;
  size: Float64Array;
  /** 16 raw bytes per file. */
  digest: Uint8Array;
  /** The tree these files made (its `.dir` oid). */
  oid: string;
}

/** The (inode, mtime) of a directory, or null. */
export function statDir(abs: string): { ino: bigint; mtimeNs: bigint } | null {
  try {
    const st = fs.statSync(abs, { bigint: true });
    return st.isDirectory() ? { ino: st.ino, mtimeNs: st.mtimeNs } : null;
  } catch {
    return null;
  }
}

/**
 * The `.dvcignore` files that govern a walk of `dir` inside the repository at `root`: the one of
 * each directory from the root down to `dir`'s parent, as "ino:mtime:size" (or "-" when absent);
 * with the newest of their mtimes (a memo is not written while one of them is racy).
 */
export function ignoreFingerprint(root: string | null, dir: string): { fp: string; newestNs: bigint } {
  if (root === null) return { fp: "none", newestNs: 0n };
  const rel = path.relative(root, dir);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return { fp: "outside", newestNs: 0n };
  const parts = rel === "" ? [] : rel.split(path.sep);
  const out: string[] = [];
  let newestNs = 0n;
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    try {
      const st = fs.statSync(path.join(cur, DVCIGNORE_FILE), { bigint: true });
      out.push(`${st.ino}:${st.mtimeNs}:${st.size}`);
      if (st.mtimeNs > newestNs) newestNs = st.mtimeNs;
    } catch {
      out.push("-");
    }
    cur = path.join(cur, parts[i]);
  }
  return { fp: `${root}|${out.join("|")}`, newestNs };
}

export class DirMemoStore {
  constructor(readonly dir: string) {}

  /** The store beside a state file (`.dvc/tmp/dvc-ts/state` → `.dvc/tmp/dvc-ts/dirs`). */
  static besideState(stateFile: string): DirMemoStore | null {
    return stateFile ? new DirMemoStore(path.join(path.dirname(stateFile), "dirs")) : null;
  }

  private fileFor(dir: string, hashName: HashName): string {
    return path.join(this.dir, `${textKey(`${dir}\0${hashName}`)}.bin`);
  }

  load(dir: string, hashName: HashName): DirMemo | null {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.fileFor(dir, hashName));
    } catch {
      return null;
    }
    try {
      return decode(buf, dir, hashName);
    } catch {
      return null;
    }
  }

  /** Write a memo unless something in it (or an ignore file: `ignoreNewestNs`) is too recent
   * to be trusted (see the header). */
  save(memo: DirMemo, walkStartMs: number, ignoreNewestNs: bigint): void {
    const limit = BigInt(Math.floor(walkStartMs)) * 1000000n - RACY_MARGIN_NS;
    if (ignoreNewestNs >= limit) return;
    for (const d of memo.dirs) if (d.mtimeNs >= limit) return;
    for (let i = 0; i < memo.mtimeNs.length; i++) if (memo.mtimeNs[i] >= limit) return;
    // Only below an existing `.dvc/tmp` (two levels up).
    writeOwnCacheFile(path.dirname(path.dirname(this.dir)), this.dir, path.basename(this.fileFor(memo.dir, memo.hashName)), encode(memo), {
      ext: ".bin",
      max: MAX_MEMOS,
    });
  }
}

/** Whether every directory of the memo still has the (inode, mtime) it had. */
export function dirsUnchanged(memo: DirMemo): boolean {
  for (const d of memo.dirs) {
    const st = statDir(d.rel === "" ? memo.dir : path.join(memo.dir, d.rel));
    if (!st || st.ino !== d.ino || st.mtimeNs !== d.mtimeNs) return false;
  }
  return true;
}

/** The memo's files as the `known` input of hashManyRaw (every item known). */
export function knownFromMemo(memo: DirMemo, alloc: (n: number) => KnownHashes): KnownHashes {
  const n = memo.rels.length;
  const k = alloc(n);
  k.ino.set(memo.ino);
  k.mtimeNs.set(memo.mtimeNs);
  k.size.set(memo.size);
  k.digest.set(memo.digest);
  k.has.fill(1);
  return k;
}

// Layout: MAGIC "\n" header JSON "\n", then the file names joined by "\0" (UTF-8), padded to 8
// bytes, then ino and mtime (int64 each), size (float64) and 16 digest bytes per file.
function encode(m: DirMemo): Buffer {
  const n = m.rels.length;
  const header = JSON.stringify({
    format: FORMAT,
    dir: m.dir,
    hashName: m.hashName,
    ignore: m.ignore,
    files: n,
    oid: m.oid,
    dirs: m.dirs.map((d) => [d.rel, String(d.ino), String(d.mtimeNs)]),
  });
  const head = Buffer.from(`${MAGIC}\n${header}\n`, "utf8");
  const names = Buffer.from(m.rels.join("\0"), "utf8");
  const namesEnd = head.length + 4 + names.length;
  const dataStart = (namesEnd + 7) & ~7;
  const out = Buffer.alloc(dataStart + n * 40);
  head.copy(out, 0);
  out.writeUInt32LE(names.length, head.length);
  names.copy(out, head.length + 4);
  let off = dataStart;
  for (const arr of [m.ino, m.mtimeNs, m.size]) {
    Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).copy(out, off);
    off += 8 * n;
  }
  Buffer.from(m.digest.buffer, m.digest.byteOffset, 16 * n).copy(out, off);
  return out;
}

function decode(buf: Buffer, dir: string, hashName: HashName): DirMemo | null {
  const nl1 = buf.indexOf(10);
  if (nl1 < 0 || buf.toString("utf8", 0, nl1) !== MAGIC) return null;
  const nl2 = buf.indexOf(10, nl1 + 1);
  if (nl2 < 0) return null;
  const h = JSON.parse(buf.toString("utf8", nl1 + 1, nl2)) as {
    format?: number;
    dir?: string;
    hashName?: string;
    ignore?: string;
    files?: number;
    oid?: string;
    dirs?: [string, string, string][];
  };
  if (h.format !== FORMAT || h.dir !== dir || h.hashName !== hashName || typeof h.ignore !== "string" || typeof h.oid !== "string") return null;
  const n = h.files;
  if (!Number.isInteger(n) || (n as number) < 0 || !Array.isArray(h.dirs)) return null;
  const count = n as number;
  const namesLen = buf.readUInt32LE(nl2 + 1);
  const namesStart = nl2 + 5;
  const dataStart = (namesStart + namesLen + 7) & ~7;
  if (dataStart + count * 40 !== buf.length) return null;
  const rels = count === 0 ? [] : buf.toString("utf8", namesStart, namesStart + namesLen).split("\0");
  if (rels.length !== count) return null;
  // Copies: the read buffer may be pooled and unaligned.
  const data = new Uint8Array(count * 40);
  buf.copy(data, 0, dataStart);
  const dirs = h.dirs.map(([rel, ino, mtimeNs]) => ({ rel, ino: BigInt(ino), mtimeNs: BigInt(mtimeNs) }));
  return {
    dir,
    hashName,
    ignore: h.ignore,
    dirs,
    rels,
    ino: new BigInt64Array(data.buffer, 0, count),
    mtimeNs: new BigInt64Array(data.buffer, 8 * count, count),
    size: new Float64Array(data.buffer, 16 * count, count),
    digest: new Uint8Array(data.buffer, 24 * count, 16 * count),
    oid: h.oid,
  };
}
