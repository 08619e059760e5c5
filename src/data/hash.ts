// File hashing as DVC does it (dvc_data/hashfile/hash.py, istextfile.py):
// - `md5`: MD5 of the raw bytes (DVC 3.x);
// - `md5-dos2unix`: the DVC 2.x "legacy" hash, where every 1 MiB chunk whose first 512 bytes look
//   like text has its CRLF pairs turned into LF before hashing.
// It also holds the "hash" task of the parallel engine (parallel.ts) for hashing (and storing)
// many files fast: small files are read whole, hashed and, when storing, written in the same
// pass; a big file is hashed on its thread while the kernel copies it into the cache on the
// libuv pool.
import type { Hash } from "node:crypto";
import { crypto } from "../util/lazy.js";
import * as fs from "node:fs";
import { haltIfExiting, removeOnExit } from "../util/interrupt.js";
import { registerTask, runParallel, type ItemError, type ParallelContext, type ParallelOptions } from "./parallel.js";

export type HashName = "md5" | "md5-dos2unix";

/** MD5 of zero bytes. */
export const EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";
/** DVC reads (and for md5-dos2unix, classifies) files in 1 MiB chunks. */
export const CHUNK_SIZE = 1 << 20;
/** Bytes of each chunk looked at by the text/binary test. */
export const TEXT_BLOCK = 512;
/** Files above this size are hashed in chunks (and copied by the kernel) rather than read whole. */
export const BIG_FILE = 8 << 20;

const READ_CHUNK = 4 << 20;

/** DVC `is_exec`: any of the u/g/o execute bits. */
export function isExec(mode: number): boolean {
  return (mode & 0o111) !== 0;
}

/** dvc_data istextblock: NUL means binary; otherwise ≤ 30% of bytes outside the text set. */
export function isTextBlock(block: Uint8Array): boolean {
  if (block.length === 0) return true;
  let nontext = 0;
  for (let i = 0; i < block.length; i++) {
    const b = block[i];
    if (b === 0) return false;
    if ((b >= 0x20 && b <= 0x7e) || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x08) continue;
    nontext++;
  }
  return nontext / block.length <= 0.3;
}

/** Replace every CRLF pair by LF (a lone CR is kept). */
export function dos2unix(data: Uint8Array): Uint8Array {
  let first = -1;
  for (let i = 0; i + 1 < data.length; i++) {
    if (data[i] === 0x0d && data[i + 1] === 0x0a) {
      first = i;
      break;
    }
  }
  if (first < 0) return data;
  const out = Buffer.allocUnsafe(data.length);
  let o = 0;
  let start = 0;
  for (let i = first; i + 1 < data.length; i++) {
    if (data[i] === 0x0d && data[i + 1] === 0x0a) {
      out.set(data.subarray(start, i), o);
      o += i - start;
      start = i + 1; // keep the LF, drop the CR
    }
  }
  out.set(data.subarray(start), o);
  o += data.length - start;
  return out.subarray(0, o);
}

/** Incremental hasher for either hash name; input may arrive in chunks of any size. */
export class FileHasher {
  private readonly md5: Hash = crypto().createHash("md5");
  private pending: Buffer[] = [];
  private pendingLen = 0;

  constructor(readonly name: HashName = "md5") {}

  update(data: Uint8Array): void {
    if (this.name === "md5") {
      this.md5.update(data);
      return;
    }
    // md5-dos2unix works on whole 1 MiB chunks at file offsets k·1 MiB, like DVC's reads.
    let off = 0;
    while (off < data.length) {
      const take = Math.min(CHUNK_SIZE - this.pendingLen, data.length - off);
      const piece = data.subarray(off, off + take);
      off += take;
      if (this.pendingLen === 0 && take === CHUNK_SIZE) {
        this.flushChunk(piece);
        continue;
      }
      this.pending.push(Buffer.from(piece));
      this.pendingLen += take;
      if (this.pendingLen === CHUNK_SIZE) this.flushPending();
    }
  }

  private flushPending(): void {
    const chunk = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLen);
    this.pending = [];
    this.pendingLen = 0;
    this.flushChunk(chunk);
  }

  private flushChunk(chunk: Uint8Array): void {
    const text = chunk.length > 0 && isTextBlock(chunk.subarray(0, TEXT_BLOCK));
    this.md5.update(text ? dos2unix(chunk) : chunk);
  }

  /** Lowercase hex digest. */
  digest(): string {
    if (this.name !== "md5" && this.pendingLen > 0) this.flushPending();
    return this.md5.digest("hex");
  }
}

/** Hash bytes held in memory. */
export function hashBytes(data: Uint8Array | string, name: HashName = "md5"): string {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (name === "md5") return crypto().createHash("md5").update(buf).digest("hex");
  const h = new FileHasher(name);
  h.update(buf);
  return h.digest();
}

/** MD5 of bytes held in memory. */
export function md5Bytes(data: Uint8Array | string): string {
  return hashBytes(data, "md5");
}

/** hashFd's read buffer, allocated once per thread: a fresh 4 MiB buffer per file (one per
 * stage dependency and output in `repro`) kept the garbage collector busy. */
let readBuf: Buffer | undefined;

/** Read the next chunk of `fd` at `pos` into `buf` and hash it; returns the bytes read (0 at EOF). */
function hashChunk(fd: number, buf: Buffer, h: FileHasher, pos: number): number {
  const n = fs.readSync(fd, buf, 0, buf.length, pos);
  if (n > 0) h.update(n === buf.length ? buf : buf.subarray(0, n));
  return n;
}

/** Read `fd` to EOF in big chunks, hashing as it goes (synchronous, so the buffer is reused). */
function hashFd(fd: number, name: HashName): { hash: string; size: number } {
  const h = new FileHasher(name);
  const buf = (readBuf ??= Buffer.allocUnsafe(READ_CHUNK));
  let size = 0;
  for (let n; (n = hashChunk(fd, buf, h, size)) > 0; ) size += n;
  return { hash: h.digest(), size };
}

/** Hash one file synchronously (raw bytes; symlinks followed). */
export function hashFileSync(file: string, name: HashName = "md5"): { hash: string; size: number } {
  const fd = fs.openSync(file, "r");
  try {
    return hashFd(fd, name);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Read `fd` to EOF like hashFd, but give the event loop a turn after every chunk, so a Ctrl-C
 * is handled while a big file is read; once the process is exiting, it stops there (the result
 * would only be used to write dvc.lock, a .dvc file or the cache). The shared buffer is safe:
 * each chunk is read and hashed (the hasher copies what it keeps) within one turn.
 */
async function hashFdYielding(fd: number, name: HashName): Promise<{ hash: string; size: number }> {
  const h = new FileHasher(name);
  const buf = (readBuf ??= Buffer.allocUnsafe(READ_CHUNK));
  let size = 0;
  for (let n; (n = hashChunk(fd, buf, h, size)) > 0; ) {
    size += n;
    await new Promise<void>((resolve) => setImmediate(resolve));
    await haltIfExiting();
  }
  return { hash: h.digest(), size };
}

/** Hash one file (raw bytes; symlinks followed): small ones in one synchronous pass, big ones
 * yielding between chunks (an output in `repro` or a file `status` rehashes may be gigabytes). */
export async function hashFile(file: string, name: HashName = "md5"): Promise<{ hash: string; size: number }> {
  const fd = fs.openSync(file, "r");
  try {
    return fs.fstatSync(fd).size <= BIG_FILE ? hashFd(fd, name) : await hashFdYielding(fd, name);
  } finally {
    fs.closeSync(fd);
  }
}

function sameStat(a: fs.BigIntStats, b: fs.BigIntStats): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** The source changed while it was being copied and hashed. */
export class FileChangedError extends Error {
  readonly code = "EAGAIN";
  constructor(readonly path: string) {
    super(`'${path}' changed while it was being read`);
  }
}

/**
 * Hash the open file `fd` (path `src`) on this thread while the kernel copies it to `dest`
 * (created exclusively) on the libuv pool. On this kind of machine that beats a single
 * read-and-write pass: the copy never goes through user memory and overlaps the hashing.
 * The file's stat is compared before and after, so a copy that may differ from the bytes
 * hashed is refused (FileChangedError) rather than stored under a wrong name.
 */
async function hashAlongsideCopy(fd: number, src: string, dest: string, name: HashName): Promise<{ hash: string; size: number; stat: fs.BigIntStats }> {
  const before = fs.fstatSync(fd, { bigint: true });
  const copy = fs.promises.copyFile(src, dest, fs.constants.COPYFILE_EXCL);
  let r: { hash: string; size: number };
  try {
    r = await hashFdYielding(fd, name);
  } catch (e) {
    await copy.catch(() => undefined);
    fs.rmSync(dest, { force: true });
    throw e;
  }
  try {
    await copy;
  } catch (e) {
    fs.rmSync(dest, { force: true });
    throw e;
  }
  const after = fs.fstatSync(fd, { bigint: true });
  if (!sameStat(before, after) || BigInt(r.size) !== after.size || fs.statSync(dest).size !== r.size) {
    fs.rmSync(dest, { force: true });
    throw new FileChangedError(src);
  }
  return { ...r, stat: before };
}

/**
 * Copy `src` to `dest` (a new file, then given `mode`) and hash it: the hash is computed here
 * while the kernel copies on the libuv pool (see hashAlongsideCopy).
 */
export async function hashCopyFile(
  src: string,
  dest: string,
  opts: { name?: HashName; mode?: number } = {},
): Promise<{ hash: string; size: number; stat: fs.BigIntStats }> {
  const fd = fs.openSync(src, "r");
  try {
    const r = await hashAlongsideCopy(fd, src, dest, opts.name ?? "md5");
    if (opts.mode !== undefined) fs.chmodSync(dest, opts.mode);
    return r;
  } finally {
    fs.closeSync(fd);
  }
}

const EXCL_WRITE = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;

// ---------------------------------------------------------------------------------------------
// Hashing many files (optionally storing them into an object store in the same read)

/** Where hashed files are stored: `<base>/<oid[0:2]>/<oid[2:]>`, objects mode 0444. */
export interface StoreSpec {
  base: string;
  /** Mode for new prefix directories. */
  dirMode: number;
  /** chmod new prefix dirs to `dirMode` after mkdir (needed for setgid/group-write modes). */
  chmodDirs: boolean;
  /** The process umask (workers cannot query it reliably). */
  umask: number;
}

/** What a state store knows about each item, aligned with `paths`. */
export interface KnownHashes {
  ino: BigInt64Array;
  mtimeNs: BigInt64Array;
  size: Float64Array;
  /** 16 raw digest bytes per item. */
  digest: Uint8Array;
  /** 1 where the item is known. */
  has: Uint8Array;
}

/** Shared result arrays of `hashMany`, one slot per item. */
export interface HashResults {
  /** 16 raw digest bytes per item. */
  digest: Uint8Array;
  ino: BigInt64Array;
  mtimeNs: BigInt64Array;
  size: Float64Array;
  mode: Int32Array;
  flags: Uint8Array;
}

export const F_DONE = 1;
/** The hash came from the state (file not read). */
export const F_KNOWN = 2;
/** The file was read and hashed. */
export const F_HASHED = 4;
/** A new object was written into the store. */
export const F_STORED = 8;
/** Not a regular file (after following symlinks): skipped. */
export const F_SPECIAL = 16;

export interface HashTaskData {
  paths: string[];
  name: HashName;
  known?: KnownHashes;
  store?: StoreSpec;
  out: HashResults;
}

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}

export function allocHashResults(n: number): HashResults {
  return {
    digest: new Uint8Array(shared(16 * n)),
    ino: new BigInt64Array(shared(8 * n)),
    mtimeNs: new BigInt64Array(shared(8 * n)),
    size: new Float64Array(shared(8 * n)),
    mode: new Int32Array(shared(4 * n)),
    flags: new Uint8Array(shared(n)),
  };
}

export function allocKnownHashes(n: number): KnownHashes {
  return {
    ino: new BigInt64Array(shared(8 * n)),
    mtimeNs: new BigInt64Array(shared(8 * n)),
    size: new Float64Array(shared(8 * n)),
    digest: new Uint8Array(shared(16 * n)),
    has: new Uint8Array(shared(n)),
  };
}

/** One hashed file. */
export interface FileHash {
  path: string;
  hash: string;
  size: number;
  ino: bigint;
  mtimeNs: bigint;
  mode: number;
  isexec: boolean;
  /** True when the hash came from the state store without reading the file. */
  fromState: boolean;
  /** True when a new object was written into the store. */
  stored: boolean;
}

export interface HashManyOptions extends ParallelOptions {
  name?: HashName;
  known?: KnownHashes;
  store?: StoreSpec;
}

export class HashError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Hash many files (symlinks followed), skipping those whose (ino, mtime, size) match `known`,
 * and with `store` also write each missing object in the same read pass. Returns the raw
 * per-item result arrays (see `F_*` flags). Throws a HashError for the first file that failed.
 */
export async function hashManyRaw(paths: string[], opts: HashManyOptions = {}): Promise<HashResults> {
  const out = allocHashResults(paths.length);
  const data: HashTaskData = { paths, name: opts.name ?? "md5", known: opts.known, store: opts.store, out };
  // A state hit costs one stat (~4 µs here), a file to read far more: count 8 hits as one item.
  let heavy = paths.length;
  if (opts.known) {
    let hits = 0;
    for (let i = 0; i < paths.length; i++) hits += opts.known.has[i];
    heavy -= hits - Math.floor(hits / 8);
  }
  const errors = await runParallel("hash", data, paths.length, { heavyItems: heavy, ...opts });
  if (errors.length) {
    const e = errors[0];
    throw new HashError(paths[e.index], e.code, e.message);
  }
  return out;
}

/** Lowercase hex digest of item `i`. */
export function digestHex(out: HashResults, i: number): string {
  return Buffer.from(out.digest.buffer, out.digest.byteOffset + 16 * i, 16).toString("hex");
}

/** `hashManyRaw` as objects: one FileHash per path, null for non-regular files. */
export async function hashMany(paths: string[], opts: HashManyOptions = {}): Promise<(FileHash | null)[]> {
  const out = await hashManyRaw(paths, opts);
  const res: (FileHash | null)[] = new Array(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const f = out.flags[i];
    if (f & F_SPECIAL || !(f & F_DONE)) {
      res[i] = null;
      continue;
    }
    res[i] = {
      path: paths[i],
      hash: digestHex(out, i),
      size: out.size[i],
      ino: out.ino[i],
      mtimeNs: out.mtimeNs[i],
      mode: out.mode[i],
      isexec: isExec(out.mode[i]),
      fromState: (f & F_KNOWN) !== 0,
      stored: (f & F_STORED) !== 0,
    };
  }
  return res;
}

/** Per-thread helper for writing objects into a store. */
class StoreWriter {
  private readonly listed = new Map<string, Set<string>>();
  private readonly made = new Set<string>();
  private readonly tmpPrefix = "." + crypto().randomBytes(16).toString("base64url");
  private seq = 0;
  private readonly needChmod: boolean;

  constructor(readonly spec: StoreSpec) {
    this.needChmod = (spec.umask & 0o444) !== 0;
  }

  /** Whether the object is already in the store (one readdir per prefix, cached). */
  has(oid: string): boolean {
    const pre = oid.slice(0, 2);
    let names = this.listed.get(pre);
    if (!names) {
      try {
        names = new Set(fs.readdirSync(`${this.spec.base}/${pre}`));
      } catch {
        names = new Set();
      }
      this.listed.set(pre, names);
    }
    return names.has(oid.slice(2));
  }

  private dirFor(oid: string): string {
    const pre = oid.slice(0, 2);
    const dir = `${this.spec.base}/${pre}`;
    if (!this.made.has(pre)) {
      try {
        fs.mkdirSync(dir, { mode: this.spec.dirMode });
        if (this.spec.chmodDirs) fs.chmodSync(dir, this.spec.dirMode);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      this.made.add(pre);
    }
    return dir;
  }

  tmpName(dir: string): string {
    return `${dir}/${this.tmpPrefix}${(this.seq++).toString(36)}.tmp`;
  }

  /** Write bytes as object `oid`: temp file (mode 0444) then rename. */
  writeBytes(oid: string, data: Uint8Array): void {
    const dir = this.dirFor(oid);
    const tmp = this.tmpName(dir);
    const fd = fs.openSync(tmp, EXCL_WRITE, 0o444);
    try {
      let off = 0;
      while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
      if (this.needChmod) fs.fchmodSync(fd, 0o444);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    fs.closeSync(fd);
    this.commit(tmp, oid);
  }

  /** Rename a finished temp file into place as `oid`. */
  commit(tmp: string, oid: string): void {
    const dir = this.dirFor(oid);
    try {
      fs.renameSync(tmp, `${dir}/${oid.slice(2)}`);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    this.listed.get(oid.slice(0, 2))?.add(oid.slice(2));
  }

  /** Temp path for a streamed object whose name is not known yet. */
  streamTmp(): string {
    return this.tmpName(this.spec.base);
  }
}

/** The `hashMany` task body, run by every participant. */
export async function hashTask(data: HashTaskData, ctx: ParallelContext): Promise<ItemError[]> {
  const errors: ItemError[] = [];
  const store = data.store ? new StoreWriter(data.store) : undefined;
  let buf: Buffer = Buffer.allocUnsafe(256 << 10);
  const dig = Buffer.from(data.out.digest.buffer, data.out.digest.byteOffset, data.out.digest.byteLength);
  let pendingTicks = 0;
  for (let i = ctx.claim(); i >= 0; i = ctx.claim()) {
    try {
      if (!tryKnown(data, i, store, dig)) {
        const big = await hashOne(data, i, store, buf, dig);
        if (big) buf = big;
      }
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      errors.push({ index: i, code: err.code, message: err.message });
    }
    if (++pendingTicks >= 32) {
      ctx.tick(pendingTicks);
      pendingTicks = 0;
    }
  }
  if (pendingTicks) ctx.tick(pendingTicks);
  return errors;
}

const NS_PER_SEC = 1000000000n;

/** Node's `Stats.mtimeMs` for a time in ns since the epoch (its formula over timespec parts). */
export function msFromNs(ns: bigint): number {
  let sec = ns / NS_PER_SEC;
  let nsec = ns % NS_PER_SEC;
  if (nsec < 0n) {
    sec -= 1n;
    nsec += NS_PER_SEC;
  }
  return Number(sec) * 1e3 + Number(nsec) / 1e6;
}

/** State hit: stat only, no read. True when the item was resolved. */
function tryKnown(data: HashTaskData, i: number, store: StoreWriter | undefined, dig: Buffer): boolean {
  const k = data.known;
  if (!k || !k.has[i]) return false;
  // A plain (not bigint) stat: a BigIntStats costs ~15 bigints per file, which is a third of a
  // no-op status of a big directory in allocation and GC. Its mtimeMs is computed from the
  // kernel's (sec, nsec) as `sec * 1e3 + nsec / 1e6`, so the same formula over the known ns gives
  // the identical double; two mtimes closer than ~0.25 µs (same inode and size) would look equal.
  const st = fs.statSync(data.paths[i]);
  const mtimeNs = k.mtimeNs[i];
  if (st.size !== k.size[i] || st.ino !== Number(k.ino[i]) || st.mtimeMs !== msFromNs(mtimeNs) || !st.isFile()) return false;
  const known = k.digest.subarray(16 * i, 16 * i + 16);
  if (store && !store.has(Buffer.from(known.buffer, known.byteOffset, 16).toString("hex"))) return false;
  dig.set(known, 16 * i);
  const o = data.out;
  o.ino[i] = k.ino[i];
  o.mtimeNs[i] = mtimeNs;
  o.size[i] = st.size;
  o.mode[i] = st.mode;
  o.flags[i] = F_DONE | F_KNOWN;
  return true;
}

/** Read and hash one file (storing it when asked). Returns a grown buffer if one was needed. */
async function hashOne(
  data: HashTaskData,
  i: number,
  store: StoreWriter | undefined,
  buf: Buffer,
  dig: Buffer,
): Promise<Buffer | undefined> {
  const o = data.out;
  const fd = fs.openSync(data.paths[i], "r");
  let grown: Buffer | undefined;
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    o.ino[i] = st.ino;
    o.mtimeNs[i] = st.mtimeNs;
    o.mode[i] = Number(st.mode);
    if (!st.isFile()) {
      o.flags[i] = F_DONE | F_SPECIAL;
      return undefined;
    }
    const size = Number(st.size);
    if (size > BIG_FILE) {
      await hashBigOne(data, i, fd, store, dig);
      return undefined;
    }
    if (size + 1 > buf.length) grown = buf = Buffer.allocUnsafe(Math.max(size + 1, buf.length * 2));
    const n = fs.readSync(fd, buf, 0, size + 1, 0);
    if (n > size) {
      // The file grew while we looked at it: fall back to streaming it.
      await hashBigOne(data, i, fd, store, dig);
      return grown;
    }
    const bytes = buf.subarray(0, n);
    const hex = hashBytes(bytes, data.name);
    dig.write(hex, 16 * i, 16, "hex");
    o.size[i] = n;
    let flags = F_DONE | F_HASHED;
    if (store && !store.has(hex)) {
      store.writeBytes(hex, bytes);
      flags |= F_STORED;
    }
    o.flags[i] = flags;
  } finally {
    fs.closeSync(fd);
  }
  return grown;
}

async function hashBigOne(data: HashTaskData, i: number, fd: number, store: StoreWriter | undefined, dig: Buffer): Promise<void> {
  const o = data.out;
  let r: { hash: string; size: number };
  let flags = F_DONE | F_HASHED;
  if (store) {
    const tmp = store.streamTmp();
    // a Ctrl-C exit during the read (the main thread's share) removes the partial copy
    const forget = removeOnExit(tmp);
    try {
      r = await hashAlongsideCopy(fd, data.paths[i], tmp, data.name);
      fs.chmodSync(tmp, 0o444);
      if (store.has(r.hash)) fs.rmSync(tmp, { force: true });
      else {
        store.commit(tmp, r.hash);
        flags |= F_STORED;
      }
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    } finally {
      forget();
    }
  } else {
    r = await hashFdYielding(fd, data.name);
  }
  dig.write(r.hash, 16 * i, 16, "hex");
  o.size[i] = r.size;
  o.flags[i] = flags;
}

registerTask("hash", hashTask);
