// Placing cache objects in the workspace (dvc_objects fs/generic.py `transfer`/`_try_links`,
// dvc_data index/checkout.py, hashfile/db/local.py `_unprotect_file`):
// - link types are tried in the configured order (default `reflink,copy`); a type failing with
//   EPERM/ENOTSUP/EXDEV/ENOTTY/ENOSYS/EINVAL/EAGAIN is dropped for the rest of the operation;
// - reflink clones (FICLONE) then sets the fresh-file mode; copy writes a temp file and renames
//   it; hardlink shares the 0444 object (an empty object becomes a new empty file); symlink
//   points at the absolute cache path;
// - `isexec` adds u+x (0o100) to copies/clones (never through a link, which would alter the
//   cache object);
// - a whole directory is checked out from its entries with bounded parallelism, touching only
//   files that differ, and reporting added/modified/deleted paths;
// - every destination is checked to stay inside its root: relpaths with `..`, absolute ones or
//   symlinked parent directories can never make a write land outside.
import * as fs from "node:fs";
import * as path from "node:path";
import { DvcException } from "../errors.js";
import { hashBytes, hashFileSync, hashMany, type HashName } from "./hash.js";
import { registerTask, runParallel, type ItemError, type ParallelContext, type ParallelOptions } from "./parallel.js";
import { CACHE_MODE, ObjectDB, tmpName, umask } from "./odb.js";
import { ObjectFormatError, unsafeRelpath, walkFiles, type TreeEntry } from "./tree.js";
import type { StateStore, StatKey } from "./state.js";
import { DVCIGNORE_FILE, type DvcIgnoreFilter } from "./ignore.js";

export type LinkType = "reflink" | "hardlink" | "symlink" | "copy";
export const LINK_TYPES: readonly LinkType[] = ["reflink", "hardlink", "symlink", "copy"];
export const DEFAULT_LINK_TYPES: readonly LinkType[] = ["reflink", "copy"];

/** Errors after which the next link type is tried. */
const FALLBACK_CODES = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "ENOTTY", "ENOSYS", "EINVAL", "EAGAIN"]);

/** `cache.type` (comma-separated string or list) → link types; default `reflink,copy`. */
export function parseLinkTypes(value?: string | readonly string[] | null): LinkType[] {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) {
    return [...DEFAULT_LINK_TYPES];
  }
  const list = (typeof value === "string" ? value.split(",") : [...value]).map((s) => s.trim()).filter((s) => s);
  for (const t of list) {
    if (!(LINK_TYPES as readonly string[]).includes(t)) throw new DvcException(`unsupported cache type '${t}'`);
  }
  return list as LinkType[];
}

/** Join a tree relpath onto `root`, refusing anything that would leave it. */
export function safeJoin(root: string, rel: string): string {
  const why = unsafeRelpath(rel);
  if (why) throw new DvcException(`unsafe path '${rel}' in directory object (${why})`);
  // A validated relpath has no empty, "." or ".." segment and is not absolute, so plain
  // concatenation stays below root.
  return root + path.sep + (path.sep === "/" ? rel : rel.split("/").join(path.sep));
}

/** Result of placing one object. */
export interface Placed extends StatKey {
  type: LinkType;
}

interface PlaceCtx {
  /** Remaining link types (sticky: failed ones are removed). */
  types: LinkType[];
  /** Mode of a fresh file: 0o666 & ~umask. */
  freshMode: number;
  hashName: HashName;
  buf: Buffer;
  /** Temp name beside `dest`: a random per-thread prefix and a counter. */
  tmp(dest: string): string;
}

function newCtx(types: readonly LinkType[], hashName: HashName, um: number): PlaceCtx {
  const prefix = tmpName().slice(0, -4);
  let seq = 0;
  return {
    types: [...types],
    freshMode: 0o666 & ~um,
    hashName,
    buf: Buffer.allocUnsafe(256 << 10),
    tmp: (dest) => `${path.dirname(dest)}${path.sep}${prefix}${(seq++).toString(36)}.tmp`,
  };
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

/** Trust rule before using an object: mode 0444 or a matching hash (else delete it). */
function verifyObject(ctx: PlaceCtx, src: string, mode: number, expect: string | undefined): void {
  if ((mode & 0o7777) === CACHE_MODE || !expect) return;
  const actual = hashFileSync(src, ctx.hashName).hash;
  if (actual !== expect.split(".")[0]) {
    fs.rmSync(src, { force: true });
    throw new ObjectFormatError(`object ${expect} is corrupted`);
  }
  try {
    fs.chmodSync(src, CACHE_MODE);
  } catch {
    // not fatal
  }
}

function statKey(st: fs.BigIntStats): StatKey {
  return { ino: st.ino, mtimeNs: st.mtimeNs, size: Number(st.size) };
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
}

/** Write `data` (or nothing) as a fresh file at `dest` via a temp file + rename. */
function writeViaTmp(ctx: PlaceCtx, dest: string, data: Uint8Array, mode: number): StatKey {
  const freshMode = ctx.freshMode;
  const tmp = ctx.tmp(dest);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o666);
  let st: fs.BigIntStats;
  try {
    writeAll(fd, data);
    if (mode !== freshMode) fs.fchmodSync(fd, mode);
    st = fs.fstatSync(fd, { bigint: true });
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  renameOrClean(tmp, dest);
  return statKey(st);
}

function renameOrClean(tmp: string, dest: string): void {
  try {
    fs.renameSync(tmp, dest);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Read a small object whole (null when it is bigger than the buffer). `expect` ⇒ trust rule. */
function readSmall(ctx: PlaceCtx, src: string, expect?: string): Uint8Array | null {
  const fd = fs.openSync(src, "r");
  let data: Uint8Array | null = null;
  let srcMode = CACHE_MODE;
  try {
    if (expect) srcMode = fs.fstatSync(fd).mode; // only the trust rule needs the mode
    const n = fs.readSync(fd, ctx.buf, 0, ctx.buf.length, 0);
    if (n < ctx.buf.length) data = ctx.buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
  if (data && expect && (srcMode & 0o7777) !== CACHE_MODE) {
    if (hashBytes(data, ctx.hashName) !== expect.split(".")[0]) {
      fs.rmSync(src, { force: true });
      throw new ObjectFormatError(`object ${expect} is corrupted`);
    }
    try {
      fs.chmodSync(src, CACHE_MODE);
    } catch {
      // not fatal
    }
  }
  return data;
}

function copyPlace(ctx: PlaceCtx, src: string, dest: string, isexec: boolean, expect?: string): StatKey {
  const mode = ctx.freshMode | (isexec ? 0o100 : 0);
  const data = readSmall(ctx, src, expect);
  if (data) return writeViaTmp(ctx, dest, data, mode);
  // Big object: kernel-side copy, then the fresh-file mode (copyfile keeps the object's 0444).
  if (expect) verifyObject(ctx, src, fs.statSync(src).mode, expect);
  return copyViaTmp(ctx, src, dest, mode, 0);
}

function reflinkPlace(ctx: PlaceCtx, src: string, dest: string, isexec: boolean): StatKey {
  return copyViaTmp(ctx, src, dest, ctx.freshMode | (isexec ? 0o100 : 0), fs.constants.COPYFILE_FICLONE_FORCE);
}

/** copyFileSync (with `flags`) to a temp file beside `dest`, give it `mode`, rename it over. */
function copyViaTmp(ctx: PlaceCtx, src: string, dest: string, mode: number, flags: number): StatKey {
  const tmp = ctx.tmp(dest);
  try {
    fs.copyFileSync(src, tmp, flags);
    fs.chmodSync(tmp, mode);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  const st = fs.statSync(tmp, { bigint: true });
  renameOrClean(tmp, dest);
  return statKey(st);
}

function hardlinkPlace(ctx: PlaceCtx, src: string, dest: string, srcSt: fs.BigIntStats): StatKey {
  // dvc_objects LocalFileSystem.link: an empty file becomes a new empty file, not a link.
  if (srcSt.size === 0n) return writeViaTmp(ctx, dest, new Uint8Array(0), ctx.freshMode);
  try {
    fs.linkSync(src, dest);
  } catch (e) {
    if (code(e) !== "EEXIST") throw e;
    fs.unlinkSync(dest);
    fs.linkSync(src, dest);
  }
  return statKey(srcSt);
}

function symlinkPlace(src: string, dest: string): StatKey {
  try {
    fs.symlinkSync(src, dest);
  } catch (e) {
    if (code(e) !== "EEXIST") throw e;
    fs.unlinkSync(dest);
    fs.symlinkSync(src, dest);
  }
  return statKey(fs.statSync(dest, { bigint: true }));
}

/**
 * Place the object at `src` (absolute cache path) at `dest` (whose parent exists), replacing
 * whatever file is there. `expect` (the oid) enables the trust rule on the object.
 */
function placeOneSync(ctx: PlaceCtx, src: string, dest: string, isexec: boolean, expect?: string): Placed {
  let lastErr: unknown;
  while (ctx.types.length) {
    const type = ctx.types[0];
    try {
      if (type === "copy") return { type, ...copyPlace(ctx, src, dest, isexec, expect) };
      const srcSt = fs.statSync(src, { bigint: true });
      verifyObject(ctx, src, Number(srcSt.mode), expect);
      if (type === "reflink") return { type, ...reflinkPlace(ctx, src, dest, isexec) };
      // Links replace the destination entry itself (never writing through it).
      if (type === "hardlink") return { type, ...hardlinkPlace(ctx, src, dest, srcSt) };
      return { type, ...symlinkPlace(src, dest) };
    } catch (e) {
      if (type === "copy" || !FALLBACK_CODES.has(code(e) ?? "")) throw e;
      lastErr = e;
      ctx.types.shift();
    }
  }
  const err = new DvcException("no more link types left to try out") as DvcException & { code: string };
  err.code = "ENOTSUP";
  if (lastErr !== undefined) err.cause = lastErr;
  throw err;
}

/** Place one cache object at `dest` (parent dirs created). */
export function linkObject(
  src: string,
  dest: string,
  opts: { types?: readonly LinkType[]; isexec?: boolean; hashName?: HashName; expect?: string } = {},
): Placed {
  const ctx = newCtx(opts.types ?? DEFAULT_LINK_TYPES, opts.hashName ?? "md5", umask());
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  return placeOneSync(ctx, src, dest, opts.isexec ?? false, opts.expect);
}

// ---------------------------------------------------------------------------------------------
// Parallel placement

const F_PLACED = 1;
const F_CORRUPT = 2;
const F_MISSING = 4;
const TYPE_CODES: LinkType[] = ["reflink", "hardlink", "symlink", "copy"];

/** Data for `placeTask` (structured-cloneable; results in shared arrays). */
export interface PlaceTaskData {
  src: string[];
  dest: string[];
  expect: string[];
  /** bit 0: isexec. */
  opts: Uint8Array;
  types: LinkType[];
  hashName: HashName;
  umask: number;
  out: { ino: BigInt64Array; mtimeNs: BigInt64Array; size: Float64Array; flags: Uint8Array; type: Uint8Array };
}

/** The parallel placement body, run by every participant. */
export function placeTask(data: PlaceTaskData, pctx: ParallelContext): ItemError[] {
  const ctx = newCtx(data.types, data.hashName, data.umask);
  const errors: ItemError[] = [];
  const o = data.out;
  let ticks = 0;
  for (let i = pctx.claim(); i >= 0; i = pctx.claim()) {
    try {
      const p = placeOneSync(ctx, data.src[i], data.dest[i], (data.opts[i] & 1) !== 0, data.expect[i]);
      o.ino[i] = p.ino;
      o.mtimeNs[i] = p.mtimeNs;
      o.size[i] = p.size;
      o.type[i] = TYPE_CODES.indexOf(p.type);
      o.flags[i] = F_PLACED;
    } catch (e) {
      if (e instanceof ObjectFormatError) o.flags[i] = F_CORRUPT;
      else if (code(e) === "ENOENT" && !fs.existsSync(data.src[i])) o.flags[i] = F_MISSING;
      else errors.push({ index: i, code: code(e), message: (e as Error).message });
    }
    if (++ticks >= 32) {
      pctx.tick(ticks);
      ticks = 0;
    }
  }
  if (ticks) pctx.tick(ticks);
  return errors;
}

export interface PlaceItem {
  /** Absolute object path. */
  src: string;
  /** Absolute destination (parent must exist). */
  dest: string;
  /** Oid, for the trust rule. */
  oid?: string;
  isexec?: boolean;
}

export interface PlaceOutcome {
  placed: (Placed | null)[];
  corrupted: number[];
  missing: number[];
}

function sharedArr(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}

/** Place many objects in parallel (main thread + workers). */
export async function placeMany(
  items: readonly PlaceItem[],
  opts: ParallelOptions & { types?: readonly LinkType[]; hashName?: HashName } = {},
): Promise<PlaceOutcome> {
  const n = items.length;
  const data: PlaceTaskData = {
    src: items.map((i) => i.src),
    dest: items.map((i) => i.dest),
    expect: items.map((i) => i.oid ?? ""),
    opts: new Uint8Array(sharedArr(n)),
    types: [...(opts.types ?? DEFAULT_LINK_TYPES)],
    hashName: opts.hashName ?? "md5",
    umask: umask(),
    out: {
      ino: new BigInt64Array(sharedArr(8 * n)),
      mtimeNs: new BigInt64Array(sharedArr(8 * n)),
      size: new Float64Array(sharedArr(8 * n)),
      flags: new Uint8Array(sharedArr(n)),
      type: new Uint8Array(sharedArr(n)),
    },
  };
  items.forEach((it, i) => (data.opts[i] = it.isexec ? 1 : 0));
  // Items come sorted by path: whole runs of one directory per claim keep threads from
  // contending on the same directory.
  const errors = await runParallel("place", data, n, { minItemsPerThread: 300, claimBatch: 128, ...opts });
  if (errors.length) {
    const e = errors[0];
    const err = new DvcException(`failed to link '${items[e.index].dest}': ${e.message}`) as DvcException & { code?: string };
    err.code = e.code;
    throw err;
  }
  const out = data.out;
  const placed: (Placed | null)[] = new Array(n).fill(null);
  const corrupted: number[] = [];
  const missing: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = out.flags[i];
    if (f & F_PLACED) {
      placed[i] = { type: TYPE_CODES[out.type[i]], ino: out.ino[i], mtimeNs: out.mtimeNs[i], size: out.size[i] };
    } else if (f & F_CORRUPT) corrupted.push(i);
    else if (f & F_MISSING) missing.push(i);
  }
  return { placed, corrupted, missing };
}

// ---------------------------------------------------------------------------------------------
// Directories

/**
 * Create `relDirs` under `root` (which must exist), parents first. An existing symlink or
 * non-directory in the way is removed and replaced by a real directory, so no later write can
 * go through a link to outside `root`.
 */
export function ensureDirs(root: string, relDirs: Iterable<string>): void {
  const sorted = [...new Set(relDirs)].filter((d) => d !== "").sort();
  const ok = new Set<string>();
  for (const rel of sorted) {
    // parents first: make sure every ancestor inside root was verified or created
    const parts = rel.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join("/");
      if (ok.has(sub)) continue;
      const abs = safeJoin(root, sub);
      try {
        fs.mkdirSync(abs);
      } catch (e) {
        if (code(e) !== "EEXIST") throw e;
        const st = fs.lstatSync(abs);
        if (!st.isDirectory()) {
          fs.rmSync(abs, { force: true });
          fs.mkdirSync(abs);
        }
      }
      ok.add(sub);
    }
  }
}

/** Make `root` a real directory (replacing a file or symlink there), creating its parents. */
function ensureRoot(root: string): boolean {
  let existed = true;
  try {
    const st = fs.lstatSync(root);
    if (!st.isDirectory()) {
      fs.rmSync(root, { force: true });
      existed = false;
    }
  } catch (e) {
    if (code(e) !== "ENOENT") throw e;
    existed = false;
  }
  fs.mkdirSync(root, { recursive: true });
  return existed;
}

export interface CheckoutTreeOptions extends ParallelOptions {
  /** Link types (default `reflink,copy`). */
  types?: readonly LinkType[];
  state?: StateStore;
  ignore?: DvcIgnoreFilter;
  /** Hash name of the tree's values (default: the odb's). */
  hashName?: HashName;
  /** Re-place unchanged files too (not reported). */
  relink?: boolean;
  /** Delete workspace files that are not in the tree. */
  removeExtra?: boolean;
  /** Apply the trust rule to each object used (re-hash non-0444 ones); DVC does not. */
  verify?: boolean;
  /** Only compute what would change. */
  dryRun?: boolean;
}

export interface CheckoutTreeResult {
  /** Relpaths (POSIX, sorted) created / replaced / removed. */
  added: string[];
  modified: string[];
  deleted: string[];
  unchanged: number;
  /** Relpaths whose object is not in the cache (left untouched). */
  missing: string[];
  /** Relpaths whose object failed verification (the object was deleted). */
  corrupted: string[];
  /** The directory did not exist (as a directory) before. */
  created: boolean;
}

interface WorkspaceFile {
  hash: string;
  mode: number;
}

async function scanWorkspace(root: string, opts: CheckoutTreeOptions, name: HashName): Promise<Map<string, WorkspaceFile>> {
  const walked = await walkFiles(root, { ignore: opts.ignore, forbidIgnoreFile: false });
  const paths = walked.map((w) => w.abs);
  const hashed = await hashMany(paths, { ...opts, name, known: opts.state?.knownFor(paths, name) });
  opts.state?.recordMany(hashed, name);
  const cur = new Map<string, WorkspaceFile>();
  walked.forEach((w, i) => {
    const h = hashed[i];
    // A .dvcignore inside the output is never data to compare, replace or delete.
    if (h && path.basename(w.rel) !== DVCIGNORE_FILE) cur.set(w.rel, { hash: h.hash, mode: h.mode });
  });
  return cur;
}

/** What a directory checkout will do; `apply()` does it (once), reusing the workspace scan. */
export interface TreeCheckoutPlan extends CheckoutTreeResult {
  apply(): Promise<CheckoutTreeResult>;
}

interface Diff {
  res: CheckoutTreeResult;
  /** Entries to place. */
  place: TreeEntry[];
  /** Workspace files not in the tree. */
  extra: string[];
}

async function diffTree(root: string, entries: readonly TreeEntry[], opts: CheckoutTreeOptions, name: HashName): Promise<Diff> {
  for (const e of entries) safeJoin(root, e.relpath);
  let existed = false;
  try {
    existed = fs.lstatSync(root).isDirectory();
  } catch (e) {
    if (code(e) !== "ENOENT") throw e;
  }
  const res: CheckoutTreeResult = { added: [], modified: [], deleted: [], unchanged: 0, missing: [], corrupted: [], created: !existed };
  if (!existed) {
    res.added = entries.map((e) => e.relpath);
    return { res, place: [...entries], extra: [] };
  }
  const current = await scanWorkspace(root, opts, name);
  const place: TreeEntry[] = [];
  const wanted = new Set<string>();
  for (const e of entries) {
    wanted.add(e.relpath);
    const cur = current.get(e.relpath);
    if (!cur) res.added.push(e.relpath);
    else if (cur.hash !== e.md5) res.modified.push(e.relpath);
    else {
      res.unchanged++;
      if (opts.relink) place.push(e);
      continue;
    }
    place.push(e);
  }
  const extra = [...current.keys()].filter((rel) => !wanted.has(rel));
  if (opts.removeExtra) res.deleted.push(...extra);
  return { res, place, extra };
}

/** Drop `lost` relpaths from the added/modified lists, recording them under `into`. */
function markLost(res: CheckoutTreeResult, lost: readonly string[], into: string[]): void {
  if (!lost.length) return;
  const set = new Set(lost);
  into.push(...lost);
  res.added = res.added.filter((r) => !set.has(r));
  res.modified = res.modified.filter((r) => !set.has(r));
}

async function applyDiff(root: string, d: Diff, odb: ObjectDB, opts: CheckoutTreeOptions, name: HashName): Promise<CheckoutTreeResult> {
  const { res } = d;
  if (res.created) ensureRoot(root);
  if (opts.removeExtra) {
    for (const rel of d.extra) {
      const abs = safeJoin(root, rel);
      fs.rmSync(abs, { force: true });
      opts.state?.delete(abs);
    }
  }
  const known = new Set(res.missing);
  const place = known.size ? d.place.filter((e) => !known.has(e.relpath)) : d.place;
  ensureDirs(root, place.map((e) => parentRel(e.relpath)));
  const items: PlaceItem[] = place.map((e) => ({
    src: odb.oidToPath(e.md5),
    dest: safeJoin(root, e.relpath),
    oid: opts.verify ? e.md5 : undefined,
  }));
  const out = await placeMany(items, { ...opts, hashName: name });
  markLost(res, out.missing.map((i) => place[i].relpath), res.missing);
  markLost(res, out.corrupted.map((i) => place[i].relpath), res.corrupted);
  if (opts.state) {
    out.placed.forEach((p, i) => {
      if (p) opts.state!.set(items[i].dest, p, name, place[i].md5, { trusted: true });
    });
  }
  return sortResult(res);
}

/**
 * Plan a checkout of a directory object's `entries` at `root`: scan the workspace once, list
 * what would be added/modified/deleted and which objects are missing from `odb`; `apply()`
 * then performs it without scanning again.
 */
export async function planTreeCheckout(
  root: string,
  entries: readonly TreeEntry[],
  odb: ObjectDB,
  opts: CheckoutTreeOptions = {},
): Promise<TreeCheckoutPlan> {
  root = path.resolve(root);
  const name = opts.hashName ?? odb.hashName;
  const d = await diffTree(root, entries, opts, name);
  const present = await odb.existing(d.place.map((e) => e.md5));
  markLost(d.res, d.place.filter((e) => !present.has(e.md5)).map((e) => e.relpath), d.res.missing);
  sortResult(d.res);
  let applied: Promise<CheckoutTreeResult> | undefined;
  const snapshot = structuredClone(d.res);
  return { ...snapshot, apply: () => (applied ??= applyDiff(root, d, odb, opts, name)) };
}

/**
 * Check out a directory object's `entries` at `root`: create missing files, replace differing
 * ones, optionally delete extra ones. Objects missing from `odb` are reported, not fatal.
 */
export async function checkoutTree(
  root: string,
  entries: readonly TreeEntry[],
  odb: ObjectDB,
  opts: CheckoutTreeOptions = {},
): Promise<CheckoutTreeResult> {
  if (opts.dryRun) {
    const { apply: _apply, ...result } = await planTreeCheckout(root, entries, odb, opts);
    return result;
  }
  root = path.resolve(root);
  const name = opts.hashName ?? odb.hashName;
  // Missing objects show up as ENOENT while placing: no separate existence pass.
  return applyDiff(root, await diffTree(root, entries, opts, name), odb, opts, name);
}

function parentRel(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i < 0 ? "" : rel.slice(0, i);
}

function sortResult(r: CheckoutTreeResult): CheckoutTreeResult {
  r.added.sort();
  r.modified.sort();
  r.deleted.sort();
  r.missing.sort();
  r.corrupted.sort();
  return r;
}

// ---------------------------------------------------------------------------------------------
// Single files

export type FileCheckoutStatus = "added" | "modified" | "unchanged" | "missing" | "corrupted";

export interface CheckoutFileOptions {
  types?: readonly LinkType[];
  state?: StateStore;
  hashName?: HashName;
  isexec?: boolean;
  /** Re-place the file even when unchanged. */
  relink?: boolean;
  dryRun?: boolean;
  /** Replace a non-empty directory found where the file goes. */
  force?: boolean;
}

export interface CheckoutFileResult {
  status: FileCheckoutStatus;
  type?: LinkType;
}

/** The current hash of a workspace file (state-assisted), or null when it is not a file. */
function currentHash(dest: string, name: HashName, state?: StateStore): { hash: string; mode: number } | null {
  let st: fs.BigIntStats;
  try {
    st = fs.statSync(dest, { bigint: true });
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const key = statKey(st);
  let hash = state?.lookup(dest, key, name);
  if (!hash) {
    hash = hashFileSync(dest, name).hash;
    state?.set(dest, key, name, hash);
  }
  return { hash, mode: Number(st.mode) };
}

function addExecBit(p: string): void {
  try {
    const st = fs.statSync(p);
    fs.chmodSync(p, st.mode | 0o100);
  } catch {
    // DVC only logs chmod failures
  }
}

/** Check out one file output at `dest` from object `oid`. */
export async function checkoutFile(dest: string, oid: string, odb: ObjectDB, opts: CheckoutFileOptions = {}): Promise<CheckoutFileResult> {
  dest = path.resolve(dest);
  const name = opts.hashName ?? odb.hashName;
  let exists = false;
  try {
    const st = fs.lstatSync(dest);
    exists = true;
    if (st.isDirectory() && !opts.dryRun) {
      // A directory where the file goes: only replaced when the caller says so.
      if (!opts.force && fs.readdirSync(dest).length > 0) throw new DvcException(`'${dest}' is a non-empty directory`);
      fs.rmSync(dest, { recursive: true, force: true });
    }
  } catch (e) {
    if (code(e) !== "ENOENT") throw e;
  }
  const cur = exists ? currentHash(dest, name, opts.state) : null;
  const same = cur !== null && cur.hash === oid;
  if (same && !opts.relink) {
    const isLink = fs.lstatSync(dest).isSymbolicLink() || fs.statSync(dest).nlink > 1;
    if (opts.isexec && !(cur.mode & 0o100) && !opts.dryRun && !isLink) addExecBit(dest);
    return { status: "unchanged" };
  }
  const status: FileCheckoutStatus = same ? "unchanged" : exists ? "modified" : "added";
  if (!(await odb.exists(oid))) return { status: "missing" };
  if (opts.dryRun) return { status };
  const src = odb.oidToPath(oid);
  try {
    const p = linkObject(src, dest, { types: opts.types, isexec: opts.isexec, hashName: name, expect: oid });
    opts.state?.set(dest, p, name, oid, { trusted: true });
    return { status, type: p.type };
  } catch (e) {
    if (e instanceof ObjectFormatError) return { status: "corrupted" };
    throw e;
  }
}

/**
 * After `dvc add` of a single file: make the workspace file what checkout would produce
 * (umask mode, plus u+x when `isexec`). With a copy-like first link type and a private,
 * unchanged regular file (same inode/mtime/size as hashed), its bytes already equal the object,
 * so only its mode is set instead of copying it again; otherwise the object is re-placed.
 */
export async function relinkFile(
  dest: string,
  oid: string,
  odb: ObjectDB,
  opts: { types?: readonly LinkType[]; isexec?: boolean; state?: StateStore; hashed?: StatKey } = {},
): Promise<Placed> {
  dest = path.resolve(dest);
  const types = opts.types ?? DEFAULT_LINK_TYPES;
  const name = odb.hashName;
  const first = types[0];
  if ((first === "copy" || first === "reflink") && opts.hashed) {
    const st = fs.lstatSync(dest, { bigint: true });
    const h = opts.hashed;
    if (st.isFile() && st.nlink === 1n && st.ino === h.ino && st.mtimeNs === h.mtimeNs && Number(st.size) === h.size) {
      const mode = (0o666 & ~umask()) | (opts.isexec ? 0o100 : 0);
      if ((Number(st.mode) & 0o7777) !== mode) fs.chmodSync(dest, mode);
      opts.state?.set(dest, h, name, oid);
      return { type: "copy", ...h };
    }
  }
  const p = linkObject(odb.oidToPath(oid), dest, { types, isexec: opts.isexec, hashName: name, expect: oid });
  opts.state?.set(dest, p, name, oid, { trusted: true });
  return p;
}

/**
 * dvc unprotect: give each file under `target` a private writable copy. A symlinked or
 * hardlinked file is copied to a temp file beside it, the original removed and the copy renamed
 * into place; every file then gets `fileMode` (umask mode, 0o664 with a shared cache).
 */
export async function unprotect(target: string, fileMode: number = 0o666 & ~umask()): Promise<void> {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) throw new DvcException(`can't unprotect non-existing data '${target}'`);
  const files = fs.statSync(abs).isDirectory() ? (await walkFiles(abs, { forbidIgnoreFile: false })).map((w) => w.abs) : [abs];
  for (const f of files) {
    const lst = fs.lstatSync(f);
    if (lst.isSymbolicLink() || lst.nlink > 1) {
      const tmp = path.join(path.dirname(f), tmpName());
      try {
        fs.copyFileSync(f, tmp);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
      }
      fs.rmSync(f, { force: true });
      fs.renameSync(tmp, f);
    }
    fs.chmodSync(f, fileMode);
  }
}

registerTask("place", placeTask);
