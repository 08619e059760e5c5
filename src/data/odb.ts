// The local object store (cache), after dvc_objects ObjectDB and dvc_data LocalHashFileDB:
// - layout: DVC 3.x objects at `<cache>/files/md5/<oid[0:2]>/<oid[2:]>`, DVC 2.x ("legacy",
//   md5-dos2unix) objects at `<cache>/<oid[0:2]>/<oid[2:]>`; `.dir` objects keep their suffix;
// - writes are atomic: `<prefix dir>/.<random>.tmp`, then rename; objects end up mode 0444, the
//   prefix dirs 0o777 & ~umask (0o2775 with `cache.shared = group`);
// - the trust rule: an object whose mode is exactly 0444 is valid without hashing; any other
//   object is re-hashed and deleted when its content does not match its name.
import * as fs from "node:fs";
import * as path from "node:path";
import { crypto } from "../util/lazy.js";
import { DvcException } from "../errors.js";
import { currentUmask } from "../util/fs.js";
import { removeOnExit } from "../util/interrupt.js";
import {
  hashCopyFile,
  hashFile,
  hashMany,
  hashBytes,
  isExec,
  BIG_FILE,
  type FileHash,
  type HashName,
  type KnownHashes,
  type StoreSpec,
} from "./hash.js";
import type { ParallelOptions } from "./parallel.js";
import { ObjectFormatError, parseTree, type TreeEntry, type DirTree } from "./tree.js";
import type { StateStore } from "./state.js";

export const CACHE_MODE = 0o444;

const OID = /^[0-9a-f]{32}(\.dir)?$/;
const LEGACY_NAME = /^[0-9a-f]{30}(\.dir)?$/;
const PREFIX = /^[0-9a-f]{2}$/;

export interface ObjectDBOptions {
  /** The DVC 2.x layout and hash (md5-dos2unix). */
  legacy?: boolean;
  /** `cache.shared = group`. */
  shared?: boolean;
  /** Hash state used to avoid re-hashing objects during checks. */
  state?: StateStore;
}

/** Stat-level facts about an object. */
export interface ObjectInfo {
  size: number;
  mode: number;
}

/** The process umask (read once; main thread). */
export function umask(): number {
  return currentUmask();
}

/** DVC's random temp file name: `.<urlsafe base64 of 16 bytes>.tmp`. */
export function tmpName(): string {
  return `.${crypto().randomBytes(16).toString("base64url")}.tmp`;
}

export class ObjectDB {
  /** Directory holding `<oid[0:2]>/<oid[2:]>`. */
  readonly base: string;
  readonly hashName: HashName;
  readonly dirMode: number;
  /** Mode for files made writable again (unprotect). */
  readonly fileMode: number;
  readonly state?: StateStore;
  private baseMade = false;

  constructor(
    /** The cache root (`.dvc/cache` or `cache.dir`). */
    readonly cacheDir: string,
    readonly opts: ObjectDBOptions = {},
  ) {
    this.cacheDir = path.resolve(cacheDir);
    this.base = opts.legacy ? this.cacheDir : path.join(this.cacheDir, "files", "md5");
    this.hashName = opts.legacy ? "md5-dos2unix" : "md5";
    this.dirMode = opts.shared ? 0o2775 : 0o777 & ~umask();
    this.fileMode = opts.shared ? 0o664 : 0o666 & ~umask();
    this.state = opts.state;
  }

  get legacy(): boolean {
    return this.hashName === "md5-dos2unix";
  }

  /** Whether `oid` is a well-formed object id (32 lowercase hex, optional `.dir`). */
  static isOid(oid: string): boolean {
    return OID.test(oid);
  }

  /** The object's path. Throws on a malformed oid (so no oid can point outside the cache). */
  oidToPath(oid: string): string {
    if (!OID.test(oid)) throw new DvcException(`invalid object id '${oid}'`);
    return `${this.base}${path.sep}${oid.slice(0, 2)}${path.sep}${oid.slice(2)}`;
  }

  /** What `hashMany` needs to write objects here. */
  storeSpec(): StoreSpec {
    this.ensureBase();
    return { base: this.base, dirMode: this.dirMode, chmodDirs: !!this.opts.shared, umask: umask() };
  }

  private ensureBase(): void {
    if (this.baseMade) return;
    makedirs(this.base, this.dirMode, !!this.opts.shared);
    this.baseMade = true;
  }

  private ensurePrefix(oid: string): string {
    this.ensureBase();
    const dir = path.join(this.base, oid.slice(0, 2));
    makedirs(dir, this.dirMode, !!this.opts.shared);
    return dir;
  }

  /** `isfile(object path)`. */
  async exists(oid: string): Promise<boolean> {
    return this.existsSync(oid);
  }

  existsSync(oid: string): boolean {
    try {
      return fs.statSync(this.oidToPath(oid)).isFile();
    } catch {
      return false;
    }
  }

  /** Which of `oids` exist (one readdir per prefix instead of one stat per object). */
  async existing(oids: Iterable<string>): Promise<Set<string>> {
    const byPrefix = new Map<string, string[]>();
    for (const oid of oids) {
      if (!OID.test(oid)) continue;
      const pre = oid.slice(0, 2);
      const list = byPrefix.get(pre);
      if (list) list.push(oid);
      else byPrefix.set(pre, [oid]);
    }
    const found = new Set<string>();
    // Synchronous: on a local disk a stat or readdir costs less than a thread-pool round trip.
    for (const [pre, wanted] of byPrefix) {
      if (wanted.length === 1) {
        if (this.existsSync(wanted[0])) found.add(wanted[0]);
        continue;
      }
      let names: Set<string>;
      try {
        names = new Set(fs.readdirSync(path.join(this.base, pre)));
      } catch {
        continue;
      }
      for (const oid of wanted) if (names.has(oid.slice(2))) found.add(oid);
    }
    return found;
  }

  /**
   * LocalHashFileDB.check: mode exactly 0444 ⇒ trusted; otherwise re-hash, delete the object and
   * throw ObjectFormatError when it does not match its name, else protect it (chmod 0444).
   * A missing object throws the ENOENT error.
   */
  async check(oid: string): Promise<ObjectInfo> {
    const p = this.oidToPath(oid);
    const st = fs.statSync(p, { bigint: true });
    const mode = Number(st.mode) & 0o7777;
    const info = { size: Number(st.size), mode };
    if (mode === CACHE_MODE) return info;
    const key = { ino: st.ino, mtimeNs: st.mtimeNs, size: Number(st.size) };
    let actual = this.state?.lookup(p, key, this.hashName);
    if (!actual) actual = (await hashFile(p, this.hashName)).hash;
    if (actual.split(".")[0] !== oid.split(".")[0]) {
      await fs.promises.rm(p, { force: true });
      this.state?.delete(p);
      throw new ObjectFormatError(`object ${oid} is corrupted`);
    }
    this.state?.set(p, key, this.hashName, actual);
    await this.protect(p);
    return { size: info.size, mode: CACHE_MODE };
  }

  /**
   * Whether the `.dir` object `oid` and every object it lists are present and valid, as `check`
   * each would say. The per-object stats (20,000 for a 20k-file tree) are skipped when the hash
   * state remembers this tree complete and none of the cache prefix directories it uses changed
   * (inode and mtime) since: an object cannot be added, removed or renamed there without
   * changing its directory. Objects are immutable and read-only, so what such a check would miss
   * is only a write into a cache object in place, which DVC's 0444 trust rule misses as well.
   * Directories changed within the last 50 ms are not remembered (same-tick changes).
   */
  async treeComplete(oid: string, entries?: () => Promise<TreeEntry[]>): Promise<boolean> {
    try {
      await this.check(oid);
    } catch {
      return false;
    }
    const memo = this.state?.verifiedTree(this.base, oid);
    let changed: Set<string> | null = null;
    if (memo) {
      changed = new Set();
      // "" marks a directory too recent to trust when it was remembered: always checked again.
      for (const pre of Object.keys(memo)) if (memo[pre] === "" || this.prefixFingerprint(pre, 0n) !== memo[pre]) changed.add(pre);
      if (changed.size === 0) return true;
    }
    let list: TreeEntry[];
    try {
      list = entries ? await entries() : await this.loadTree(oid);
    } catch {
      return false;
    }
    // Fingerprints are taken before the objects are looked at, so a later change shows.
    const racyLimit = BigInt(Date.now()) * 1000000n - 50000000n;
    const fps: Record<string, string> = {};
    for (const e of list) {
      const pre = e.md5.slice(0, 2);
      if (!(pre in fps)) fps[pre] = this.prefixFingerprint(pre, racyLimit);
    }
    const toCheck = changed ? list.filter((e) => changed.has(e.md5.slice(0, 2))) : list;
    const r = await this.checkMany(toCheck.map((e) => e.md5));
    const complete = r.missing.size === 0 && r.corrupted.size === 0;
    this.state?.setVerifiedTree(this.base, oid, complete ? fps : null);
    return complete;
  }

  /**
   * After this process stored every object of tree `oid` (`add`/`commit` of new data): remember
   * the tree complete as `treeComplete` would, so the next `status` does not stat each object.
   * Race-safe like `treeComplete`: the prefix directories' fingerprints are taken first, then
   * their listings must still hold every object (directories changed in the last 50 ms get no
   * fingerprint and are checked object by object next time).
   */
  rememberStored(oid: string, objects: readonly string[]): void {
    if (!this.state) return;
    const byPrefix = new Map<string, string[]>();
    for (const o of objects) {
      const pre = o.slice(0, 2);
      const names = byPrefix.get(pre);
      if (names) names.push(o.slice(2));
      else byPrefix.set(pre, [o.slice(2)]);
    }
    const racyLimit = BigInt(Date.now()) * 1000000n - 50000000n;
    const fps: Record<string, string> = {};
    for (const pre of byPrefix.keys()) fps[pre] = this.prefixFingerprint(pre, racyLimit);
    for (const [pre, names] of byPrefix) {
      if (fps[pre] === "absent") return;
      if (fps[pre] === "") continue;
      let listed: Set<string>;
      try {
        listed = new Set(fs.readdirSync(`${this.base}${path.sep}${pre}`));
      } catch {
        return;
      }
      for (const n of names) if (!listed.has(n)) return;
    }
    this.state.setVerifiedTree(this.base, oid, fps);
  }

  /**
   * "<ino>:<mtimeNs>" of a prefix directory, "absent" when there is none, "" when it changed
   * after `racyLimit` (not to be trusted later).
   */
  private prefixFingerprint(pre: string, racyLimit: bigint): string {
    const st = fs.statSync(`${this.base}${path.sep}${pre}`, { bigint: true, throwIfNoEntry: false });
    if (!st) return "absent";
    if (racyLimit && st.mtimeNs >= racyLimit) return "";
    return `${st.ino}:${st.mtimeNs}`;
  }

  /**
   * `check` over many objects: which are present and valid, missing, or corrupted (and deleted).
   * One stat each (0444 ⇒ trusted); only objects with another mode are read.
   */
  async checkMany(oids: Iterable<string>): Promise<{ ok: Set<string>; missing: Set<string>; corrupted: Set<string> }> {
    const ok = new Set<string>();
    const missing = new Set<string>();
    const corrupted = new Set<string>();
    const suspect: string[] = [];
    for (const oid of new Set(oids)) {
      // A sync loop without exceptions for absent files: the cheapest way to stat many paths.
      const st = OID.test(oid) ? fs.statSync(this.oidToPath(oid), { throwIfNoEntry: false }) : undefined;
      if (!st || !st.isFile()) missing.add(oid);
      else if ((st.mode & 0o7777) === CACHE_MODE) ok.add(oid);
      else suspect.push(oid);
    }
    for (const oid of suspect) {
      try {
        await this.check(oid);
        ok.add(oid);
      } catch (e) {
        if (e instanceof ObjectFormatError) corrupted.add(oid);
        else missing.add(oid);
      }
    }
    return { ok, missing, corrupted };
  }

  /** chmod 0444; failure is not fatal (read-only or foreign-owned caches). */
  async protect(p: string): Promise<void> {
    try {
      await fs.promises.chmod(p, CACHE_MODE);
    } catch {
      // ignored, as in DVC
    }
  }

  /** Store bytes as an object (hash computed when `oid` is null). Returns the oid. */
  async addBytes(oid: string | null, data: Uint8Array): Promise<string> {
    const id = oid ?? hashBytes(data, this.hashName);
    this.storeBytes(id, data);
    return id;
  }

  /**
   * Write `data` as object `oid` unless it exists: a temp file created 0444 beside it, then
   * renamed. Synchronous (objects written this way are small). Returns whether it was written.
   */
  private storeBytes(oid: string, data: Uint8Array): boolean {
    const dest = this.oidToPath(oid);
    if (fs.statSync(dest, { throwIfNoEntry: false })?.isFile()) return false;
    const tmp = path.join(this.ensurePrefix(oid), tmpName());
    try {
      const out = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, CACHE_MODE);
      try {
        for (let off = 0; off < data.length; ) off += fs.writeSync(out, data, off);
        if ((umask() & CACHE_MODE) !== 0) fs.fchmodSync(out, CACHE_MODE);
      } finally {
        fs.closeSync(out);
      }
      fs.renameSync(tmp, dest);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    return true;
  }

  /** Store a directory object. */
  async addTree(tree: DirTree): Promise<void> {
    await this.addBytes(tree.oid, tree.bytes);
  }

  /**
   * Store one file. Without `oid`, the file is hashed while the kernel copies it to a temp file
   * that is then renamed into place (mode 0444); with a known `oid` already present nothing is
   * read. The returned stat is the source's as hashed (for the state store).
   */
  async addFile(src: string, opts: { oid?: string } = {}): Promise<FileHash> {
    if (opts.oid && (await this.exists(opts.oid))) {
      const st = await fs.promises.stat(src, { bigint: true });
      return fileHashOf(src, opts.oid, st, false, false);
    }
    this.ensureBase();
    const small = this.addSmallFile(src);
    if (small) return small;
    const tmp = path.join(this.base, tmpName());
    // a Ctrl-C exit while it is read and copied removes the partial copy
    const forget = removeOnExit(tmp);
    try {
      return await this.storeCopied(src, tmp);
    } finally {
      forget();
    }
  }

  /** addFile's big-file path: hash while the kernel copies into `tmp`, then move into place. */
  private async storeCopied(src: string, tmp: string): Promise<FileHash> {
    let r: Awaited<ReturnType<typeof hashCopyFile>>;
    try {
      r = await hashCopyFile(src, tmp, { name: this.hashName, mode: CACHE_MODE });
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      throw e;
    }
    const dest = this.oidToPath(r.hash);
    let stored = false;
    try {
      if (await isFileAsync(dest)) await fs.promises.rm(tmp, { force: true });
      else {
        this.ensurePrefix(r.hash);
        await fs.promises.rename(tmp, dest);
        stored = true;
      }
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      throw e;
    }
    const fh = fileHashOf(src, r.hash, r.stat, false, stored);
    fh.size = r.size;
    return fh;
  }

  /**
   * `addFile` for a regular file under BIG_FILE bytes, in one synchronous pass: read it whole,
   * hash, and store the bytes (`storeBytes`) unless the object exists. A stage
   * output in `repro` is usually such a file; the thread-pool copy that pays off for big files
   * only adds round trips here. Returns null for anything else (the general path handles it).
   */
  private addSmallFile(src: string): FileHash | null {
    const fd = fs.openSync(src, "r");
    let st: fs.BigIntStats;
    let data: Buffer;
    try {
      st = fs.fstatSync(fd, { bigint: true });
      if (!st.isFile() || st.size >= BigInt(BIG_FILE)) return null;
      data = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const oid = hashBytes(data, this.hashName);
    const stored = this.storeBytes(oid, data);
    return { ...fileHashOf(src, oid, st, false, stored), size: data.length };
  }

  /** Hash and store many files in parallel (one read each); state hits are not read. */
  async addFiles(paths: string[], opts: ParallelOptions & { known?: KnownHashes } = {}): Promise<(FileHash | null)[]> {
    return hashMany(paths, { ...opts, name: this.hashName, store: this.storeSpec() });
  }

  /** Load and validate a `.dir` object (ObjectFormatError when corrupted, ENOENT when missing). */
  async loadTree(oid: string): Promise<TreeEntry[]> {
    const data = await fs.promises.readFile(this.oidToPath(oid));
    return parseTree(data, oid);
  }

  loadTreeSync(oid: string): TreeEntry[] {
    return parseTree(fs.readFileSync(this.oidToPath(oid)), oid);
  }

  /** Every object id in this store (for gc). Anything not shaped `XX/<rest>` is skipped. */
  async listOids(): Promise<string[]> {
    let prefixes: string[];
    try {
      prefixes = (await fs.promises.readdir(this.base)).filter((p) => PREFIX.test(p));
    } catch {
      return [];
    }
    const out: string[][] = await Promise.all(
      prefixes.map(async (pre) => {
        try {
          const names = await fs.promises.readdir(path.join(this.base, pre));
          return names.filter((n) => LEGACY_NAME.test(n)).map((n) => pre + n);
        } catch {
          return [];
        }
      }),
    );
    return out.flat().sort();
  }

  /** Remove objects; returns how many existed. */
  async remove(oids: Iterable<string>): Promise<number> {
    let n = 0;
    for (const oid of oids) {
      const p = this.oidToPath(oid);
      try {
        await fs.promises.unlink(p);
        this.state?.delete(p);
        n++;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
    return n;
  }
}

function fileHashOf(p: string, hash: string, st: fs.BigIntStats, fromState: boolean, stored: boolean): FileHash {
  const mode = Number(st.mode);
  return {
    path: p,
    hash,
    size: Number(st.size),
    ino: st.ino,
    mtimeNs: st.mtimeNs,
    mode,
    isexec: isExec(mode),
    fromState,
    stored,
  };
}

async function isFileAsync(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** mkdir -p with DVC's mode handling (chmod after mkdir when the mode must survive the umask). */
export function makedirs(dir: string, mode: number, forceMode: boolean): void {
  try {
    fs.mkdirSync(dir, { mode });
    if (forceMode) fs.chmodSync(dir, mode);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    if (code !== "ENOENT") throw e;
  }
  makedirs(path.dirname(dir), mode, forceMode);
  try {
    fs.mkdirSync(dir, { mode });
    if (forceMode) fs.chmodSync(dir, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
}
