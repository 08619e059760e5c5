// Hash state store: remembers, per file, the (inode, mtime in ns, size) it had when it was hashed
// so an unchanged file is never read again (the role of DVC's sqlite `hashes/local/cache.db`;
// our own format, DVC's DB is optional for interop). It covers workspace files and cache
// objects alike.
//
// File `<repo>/.dvc/tmp/dvc-ts/state`, little-endian binary, so loading 20k entries is one read,
// one split of the key table and a few typed-array views (no per-entry parsing):
//   "DVCTSST\x01"  u32 count  u32 keyBytes  keys (UTF-8, NUL-separated)  pad to 8
//   i64 ino[count]  i64 mtimeNs[count]  f64 size[count]  u8 digest[16·count]  u8 name[count]
// Keys are paths relative to the repo root (POSIX), or absolute outside it. Written atomically
// (temp file + rename); a concurrent writer's entries are merged under ours.
//
// Beside it, `verified.json` remembers which `.dir` trees were found complete in a cache and
// the (inode, mtime) each cache prefix directory they use had then (see ObjectDB.treeComplete):
// `{"<object db base>": {"<tree oid>": {"<prefix>": "<ino>:<mtimeNs>", ...}}}`, newest last.
//
// Racy entries: a file modified in the same timestamp tick as (or after) the moment we read it
// could change again without changing its mtime. Entries whose mtime is not older than the
// session start minus a safety margin are kept in memory only, unless the caller wrote the file
// itself (`trusted`).
import * as fs from "node:fs";
import * as path from "node:path";
import { crypto } from "../util/lazy.js";
import { allocKnownHashes, type FileHash, type HashName, type KnownHashes } from "./hash.js";

const MAGIC = Buffer.from("DVCTSST\x01", "latin1");
const RACY_MARGIN_NS = 50n * 1000000n;
/** Above this many entries, a save keeps only the entries used by the current process. */
const MAX_ENTRIES = 1000000;
const NAMES: HashName[] = ["md5", "md5-dos2unix"];

export interface StatKey {
  ino: bigint;
  mtimeNs: bigint;
  size: number;
}

export interface StateEntry extends StatKey {
  name: HashName;
  /** Lowercase hex. */
  hash: string;
}

/** The entries of one state file, as typed-array views. */
export interface StateTable {
  keys: string[];
  ino: BigInt64Array;
  mtimeNs: BigInt64Array;
  size: Float64Array;
  digest: Uint8Array;
  name: Uint8Array;
}

const EMPTY_TABLE: StateTable = {
  keys: [],
  ino: new BigInt64Array(0),
  mtimeNs: new BigInt64Array(0),
  size: new Float64Array(0),
  digest: new Uint8Array(0),
  name: new Uint8Array(0),
};

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Parse a state file's bytes; null when they are not ours. */
export function decodeState(buf: Buffer): StateTable | null {
  if (buf.length < 16 || !buf.subarray(0, 8).equals(MAGIC)) return null;
  const count = buf.readUInt32LE(8);
  const keyBytes = buf.readUInt32LE(12);
  const numOff = align8(16 + keyBytes);
  const need = numOff + count * (8 + 8 + 8 + 16 + 1);
  if (buf.length < need) return null;
  // Typed-array views need 8-byte alignment of the underlying offset.
  if ((buf.byteOffset + numOff) % 8 !== 0) buf = Buffer.from(buf);
  const keys = count ? buf.toString("utf8", 16, 16 + keyBytes).split("\0") : [];
  if (keys.length !== count) return null;
  const base = buf.byteOffset + numOff;
  return {
    keys,
    ino: new BigInt64Array(buf.buffer, base, count),
    mtimeNs: new BigInt64Array(buf.buffer, base + 8 * count, count),
    size: new Float64Array(buf.buffer, base + 16 * count, count),
    digest: new Uint8Array(buf.buffer, base + 24 * count, 16 * count),
    name: new Uint8Array(buf.buffer, base + 40 * count, count),
  };
}

/** A row to serialise: an entry, or row `i` of an existing table (copied without decoding). */
type Row = { key: string; entry: StateEntry } | { key: string; table: StateTable; i: number };

/** Serialise rows in the given order. */
function encodeRows(rows: readonly Row[]): Buffer {
  const count = rows.length;
  const keyBuf = Buffer.from(rows.map((r) => r.key).join("\0"), "utf8");
  const numOff = align8(16 + keyBuf.length);
  const out = Buffer.alloc(numOff + count * 41);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(count, 8);
  out.writeUInt32LE(keyBuf.length, 12);
  keyBuf.copy(out, 16);
  const t: StateTable = {
    keys: [],
    ino: new BigInt64Array(out.buffer, out.byteOffset + numOff, count),
    mtimeNs: new BigInt64Array(out.buffer, out.byteOffset + numOff + 8 * count, count),
    size: new Float64Array(out.buffer, out.byteOffset + numOff + 16 * count, count),
    digest: new Uint8Array(out.buffer, out.byteOffset + numOff + 24 * count, 16 * count),
    name: new Uint8Array(out.buffer, out.byteOffset + numOff + 40 * count, count),
  };
  const dst = int32Views(t);
  const srcViews = new Map<StateTable, Int32Views>();
  rows.forEach((r, i) => {
    if ("entry" in r) {
      const e = r.entry;
      t.ino[i] = e.ino;
      t.mtimeNs[i] = e.mtimeNs;
      t.size[i] = e.size;
      t.digest.set(Buffer.from(e.hash, "hex"), 16 * i);
      t.name[i] = NAMES.indexOf(e.name);
      return;
    }
    let src = srcViews.get(r.table);
    if (!src) srcViews.set(r.table, (src = int32Views(r.table)));
    copy2(src.ino, r.i, dst.ino, i);
    copy2(src.mtimeNs, r.i, dst.mtimeNs, i);
    copy2(src.size, r.i, dst.size, i);
    for (let w = 0; w < 4; w++) dst.digest[4 * i + w] = src.digest[4 * r.i + w];
    t.name[i] = r.table.name[r.i];
  });
  return out;
}

/** Serialise entries (in the given order). */
export function encodeState(entries: readonly [string, StateEntry][]): Buffer {
  return encodeRows(entries.map(([key, entry]) => ({ key, entry })));
}

interface Int32Views {
  ino: Int32Array;
  mtimeNs: Int32Array;
  size: Int32Array;
  digest: Int32Array;
}

function i32(a: ArrayBufferView): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);
}

function int32Views(t: { ino: BigInt64Array; mtimeNs: BigInt64Array; size: Float64Array; digest: Uint8Array }): Int32Views {
  return { ino: i32(t.ino), mtimeNs: i32(t.mtimeNs), size: i32(t.size), digest: i32(t.digest) };
}

function copy2(src: Int32Array, j: number, dst: Int32Array, i: number): void {
  dst[2 * i] = src[2 * j];
  dst[2 * i + 1] = src[2 * j + 1];
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  return true;
}

/** Lower bound of `key` in sorted `keys`, galloping forward from `hint` (ascending lookups). */
function seek(keys: readonly string[], key: string, hint: number): number {
  const n = keys.length;
  let lo = 0;
  let hi = n;
  if (hint > 0 && hint <= n && keys[hint - 1] < key) {
    lo = hint;
    let step = 1;
    hi = hint;
    while (hi < n && keys[hi] < key) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    hi = Math.min(hi, n);
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Trees remembered per object database (oldest dropped first). */
const MAX_VERIFIED_TREES = 32;

/** Prefix directory -> "<ino>:<mtimeNs>" when the tree's objects in it were all found valid. */
export type PrefixFingerprints = Record<string, string>;

export class StateStore {
  /** The entries on disk, read on first use (a command may only need `verifiedTree`). */
  private loaded: StateTable | null = null;
  private verified: Record<string, Record<string, PrefixFingerprints>> | null = null;
  private verifiedDirty = false;
  /** Whether the base keys are in ascending order (binary search), else a Map index. */
  private sorted: boolean | null = null;
  private index: Map<string, number> | null = null;
  private hint = 0;
  private touchedBase: Uint8Array | null = null;
  /** New or changed entries (persisted). */
  private readonly overlay = new Map<string, StateEntry>();
  /** Racy entries (memory only). */
  private readonly volatile = new Map<string, StateEntry>();
  private readonly removed = new Set<string>();
  private dirty = false;
  private loadedId = "";
  private readonly racyLimitNs: bigint;
  private readonly rootPrefix: string;

  private constructor(
    readonly root: string,
    readonly file: string,
  ) {
    this.racyLimitNs = BigInt(Date.now()) * 1000000n - RACY_MARGIN_NS;
    this.rootPrefix = root.endsWith(path.sep) ? root : root + path.sep;
  }

  /** The default state file of a repository. */
  static defaultFile(repoRoot: string): string {
    return path.join(repoRoot, ".dvc", "tmp", "dvc-ts", "state");
  }

  /** The state of the repository at `repoRoot` (read when first needed). Never fails on bad data. */
  static open(repoRoot: string, file: string = StateStore.defaultFile(repoRoot)): StateStore {
    return new StateStore(path.resolve(repoRoot), file);
  }

  /** An in-memory store that never touches the disk. */
  static memory(repoRoot: string): StateStore {
    const s = new StateStore(path.resolve(repoRoot), "");
    s.loaded = EMPTY_TABLE;
    return s;
  }

  private get base(): StateTable {
    if (this.loaded === null) {
      this.loaded = this.readTable() ?? EMPTY_TABLE;
      if (this.loaded.keys.length > MAX_ENTRIES / 2) this.touchedBase = new Uint8Array(this.loaded.keys.length);
    }
    return this.loaded;
  }

  private set base(t: StateTable) {
    this.loaded = t;
  }

  /** Number of known entries (approximate when entries were replaced). */
  get size(): number {
    return this.base.keys.length + this.overlay.size + this.volatile.size;
  }

  private readTable(): StateTable | null {
    if (!this.file) return null;
    try {
      const fd = fs.openSync(this.file, "r");
      try {
        const st = fs.fstatSync(fd, { bigint: true });
        this.loadedId = `${st.ino}:${st.mtimeNs}:${st.size}`;
        return decodeState(fs.readFileSync(fd));
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return null;
    }
  }

  /** Row of `key` in the base table, or -1. `hint` speeds up lookups in ascending order. */
  private baseIndex(key: string, hint = 0): number {
    const keys = this.base.keys;
    let i: number;
    if (this.sorted === null) this.sorted = isSorted(keys);
    if (this.sorted) {
      const pos = seek(keys, key, hint);
      i = pos < keys.length && keys[pos] === key ? pos : -1;
      this.hint = i >= 0 ? pos + 1 : pos;
    } else {
      if (!this.index) {
        this.index = new Map();
        for (let k = 0; k < keys.length; k++) this.index.set(keys[k], k);
      }
      i = this.index.get(key) ?? -1;
    }
    if (i >= 0 && this.touchedBase) this.touchedBase[i] = 1;
    return i;
  }

  private key(absPath: string): string {
    if (absPath.startsWith(this.rootPrefix)) {
      const rel = absPath.slice(this.rootPrefix.length);
      return path.sep === "/" ? rel : rel.split(path.sep).join("/");
    }
    return absPath;
  }

  private baseEntry(i: number): StateEntry {
    const b = this.base;
    return {
      ino: b.ino[i],
      mtimeNs: b.mtimeNs[i],
      size: b.size[i],
      name: NAMES[b.name[i]] ?? "md5",
      hash: Buffer.from(b.digest.buffer, b.digest.byteOffset + 16 * i, 16).toString("hex"),
    };
  }

  private entryFor(key: string): StateEntry | undefined {
    const v = this.volatile.get(key) ?? this.overlay.get(key);
    if (v) return v;
    if (this.removed.has(key)) return undefined;
    const i = this.baseIndex(key);
    return i < 0 ? undefined : this.baseEntry(i);
  }

  /** The raw entry for a path, valid or not. */
  get(absPath: string): StateEntry | undefined {
    return this.entryFor(this.key(absPath));
  }

  /** The recorded hash when `st` still matches the entry and the hash name is `name`. */
  lookup(absPath: string, st: StatKey, name: HashName = "md5"): string | undefined {
    const e = this.get(absPath);
    if (!e || e.name !== name) return undefined;
    return e.ino === st.ino && e.mtimeNs === st.mtimeNs && e.size === st.size ? e.hash : undefined;
  }

  /**
   * Record that the file at `absPath` with stat `st` hashes to `hash`. `trusted` marks a file
   * this process has just written itself, so it is persisted even when its mtime is recent.
   */
  set(absPath: string, st: StatKey, name: HashName, hash: string, opts: { trusted?: boolean } = {}): void {
    const key = this.key(absPath);
    const entry: StateEntry = { ino: st.ino, mtimeNs: st.mtimeNs, size: st.size, name, hash };
    if (!opts.trusted && st.mtimeNs >= this.racyLimitNs) {
      this.volatile.set(key, entry);
      this.forgetPersisted(key);
      return;
    }
    this.volatile.delete(key);
    const old = this.entryFor(key);
    if (old && old.ino === entry.ino && old.mtimeNs === entry.mtimeNs && old.size === entry.size && old.name === name && old.hash === hash) {
      return;
    }
    this.removed.delete(key);
    this.overlay.set(key, entry);
    this.dirty = true;
  }

  private forgetPersisted(key: string): void {
    if (this.overlay.delete(key)) this.dirty = true;
    if (this.baseIndex(key) >= 0 && !this.removed.has(key)) {
      this.removed.add(key);
      this.dirty = true;
    }
  }

  /** Forget a path. */
  delete(absPath: string): void {
    const key = this.key(absPath);
    this.volatile.delete(key);
    this.forgetPersisted(key);
  }

  /** Record many results of `hashMany` (entries that came from the state are skipped). */
  recordMany(results: readonly (FileHash | null)[], name: HashName, opts: { trusted?: boolean } = {}): void {
    for (const r of results) {
      if (r && !r.fromState) this.set(r.path, r, name, r.hash, opts);
    }
  }

  /** Known hashes for `paths`, in the shape `hashMany` takes. */
  knownFor(paths: readonly string[], name: HashName = "md5"): KnownHashes {
    const k = allocKnownHashes(paths.length);
    const nameCode = NAMES.indexOf(name);
    const b = this.base;
    // Copy 64-bit fields as 32-bit halves: no BigInt allocation per entry.
    const src = int32Views(b);
    const dst = int32Views(k);
    const hasOverlay = this.overlay.size + this.volatile.size + this.removed.size > 0;
    this.hint = 0;
    for (let i = 0; i < paths.length; i++) {
      const key = this.key(paths[i]);
      if (hasOverlay) {
        const e = this.volatile.get(key) ?? this.overlay.get(key);
        if (e) {
          if (e.name !== name) continue;
          k.ino[i] = e.ino;
          k.mtimeNs[i] = e.mtimeNs;
          k.size[i] = e.size;
          k.digest.set(Buffer.from(e.hash, "hex"), 16 * i);
          k.has[i] = 1;
          continue;
        }
        if (this.removed.has(key)) continue;
      }
      const j = this.baseIndex(key, this.hint);
      if (j < 0 || b.name[j] !== nameCode) continue;
      copy2(src.ino, j, dst.ino, i);
      copy2(src.mtimeNs, j, dst.mtimeNs, i);
      copy2(src.size, j, dst.size, i);
      for (let w = 0; w < 4; w++) dst.digest[4 * i + w] = src.digest[4 * j + w];
      k.has[i] = 1;
    }
    return k;
  }

  private get verifiedFile(): string {
    return path.join(path.dirname(this.file), "verified.json");
  }

  private verifiedTable(): Record<string, Record<string, PrefixFingerprints>> {
    if (this.verified) return this.verified;
    this.verified = {};
    if (!this.file) return this.verified;
    try {
      const raw: unknown = JSON.parse(fs.readFileSync(this.verifiedFile, "utf8"));
      if (raw && typeof raw === "object" && !Array.isArray(raw)) {
        for (const [db, trees] of Object.entries(raw as Record<string, unknown>)) {
          if (!trees || typeof trees !== "object" || Array.isArray(trees)) continue;
          const kept: Record<string, PrefixFingerprints> = {};
          for (const [oid, fps] of Object.entries(trees as Record<string, unknown>)) {
            if (!fps || typeof fps !== "object" || Array.isArray(fps)) continue;
            if (Object.values(fps).every((v) => typeof v === "string")) kept[oid] = fps as PrefixFingerprints;
          }
          this.verified[db] = kept;
        }
      }
    } catch {
      /* absent or unreadable: nothing verified */
    }
    return this.verified;
  }

  /** The prefix fingerprints recorded when tree `oid` was last found complete in `dbBase`. */
  verifiedTree(dbBase: string, oid: string): PrefixFingerprints | undefined {
    return this.verifiedTable()[dbBase]?.[oid];
  }

  /** Record (or with null, forget) that tree `oid` was found complete in `dbBase`. */
  setVerifiedTree(dbBase: string, oid: string, fps: PrefixFingerprints | null): void {
    const table = this.verifiedTable();
    const trees = (table[dbBase] ??= {});
    if (!fps && !(oid in trees)) return;
    delete trees[oid];
    if (fps) {
      trees[oid] = fps;
      const oids = Object.keys(trees);
      for (let i = 0; i < oids.length - MAX_VERIFIED_TREES; i++) delete trees[oids[i]];
    }
    this.verifiedDirty = true;
  }

  /** Write the store if anything changed (atomic: temp file + rename). */
  save(): void {
    if (this.verifiedDirty && this.file) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = path.join(path.dirname(this.file), `.verified.${crypto().randomBytes(8).toString("hex")}.tmp`);
      try {
        fs.writeFileSync(tmp, JSON.stringify(this.verified));
        fs.renameSync(tmp, this.verifiedFile);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
      }
      this.verifiedDirty = false;
    }
    if (!this.dirty || !this.file) return;
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true });
    this.reloadIfChanged();
    const rows = this.rowsToSave();
    const tmp = path.join(dir, `.state.${crypto().randomBytes(8).toString("hex")}.tmp`);
    try {
      fs.writeFileSync(tmp, encodeRows(rows));
      fs.renameSync(tmp, this.file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    const st = fs.statSync(this.file, { bigint: true });
    this.loadedId = `${st.ino}:${st.mtimeNs}:${st.size}`;
    this.dirty = false;
  }

  /**
   * Base rows (minus replaced, removed or, when over the size limit, unused ones) merged with
   * the overlay, in ascending key order: sorted keys allow binary search and ordered lookups.
   */
  private rowsToSave(): Row[] {
    const b = this.base;
    const prune = b.keys.length + this.overlay.size > MAX_ENTRIES && this.touchedBase !== null;
    const base: Row[] = [];
    for (let i = 0; i < b.keys.length; i++) {
      const key = b.keys[i];
      if (this.overlay.has(key) || this.removed.has(key)) continue;
      if (prune && !this.touchedBase![i]) continue;
      base.push({ key, table: b, i });
    }
    if (this.sorted === null) this.sorted = isSorted(b.keys);
    if (!this.sorted) base.sort(byKey);
    const over: Row[] = [...this.overlay].map(([key, entry]) => ({ key, entry }));
    over.sort(byKey);
    const rows: Row[] = [];
    let i = 0;
    let j = 0;
    while (i < base.length || j < over.length) {
      if (j >= over.length || (i < base.length && base[i].key < over[j].key)) rows.push(base[i++]);
      else rows.push(over[j++]);
    }
    return rows;
  }

  /** Another process saved since we loaded: take its entries as the base under ours. */
  private reloadIfChanged(): void {
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(this.file, { bigint: true });
    } catch {
      return;
    }
    if (`${st.ino}:${st.mtimeNs}:${st.size}` === this.loadedId) return;
    const t = this.readTable();
    if (!t) return;
    this.base = t;
    this.index = null;
    this.sorted = null;
    this.touchedBase = null;
  }
}
