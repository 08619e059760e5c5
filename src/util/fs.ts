// Small file-system helpers shared by the core: atomic writes, existence checks, path safety.
import { constants as C, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";

let tmpSeq = 0;
/** Tells this module instance (one per thread) apart from others of the same process; not
 * node:worker_threads' threadId, whose module costs ~10 ms to load in every command. */
const TMP_TAG = Math.random().toString(36).slice(2, 8);

/**
 * Write a file atomically: a temp file in the same directory (named after this process, thread
 * and a counter, so no two writers share one), then rename over the target. The files written this
 * way (.dvc, dvc.lock, .gitignore, config) are small: synchronous calls save the thread-pool
 * round trips, which added up to milliseconds per stage in `repro`.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  writeFileAtomicSync(file, data, mode);
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array, mode?: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${TMP_TAG}-${++tmpSeq}.tmp`);
  try {
    writeFileSync(tmp, data, mode !== undefined ? { mode } : undefined);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Write `name` into `dir` (created), a directory of one of our own caches under `.dvc/tmp`:
 * atomically, and only while `anchor` exists (a repository deleted since it was opened is not
 * brought back by a late write). With `keep`, at most `keep.max` files ending in `keep.ext` stay
 * there: past that, the oldest go, down to half. False when not written; never throws (such a
 * cache is an optimisation only).
 */
export function writeOwnCacheFile(anchor: string, dir: string, name: string, data: string | Uint8Array, keep?: { ext: string; max: number }): boolean {
  try {
    if (!existsSync(anchor)) return false;
    mkdirSync(dir, { recursive: true });
    writeFileAtomicSync(path.join(dir, name), data);
    if (keep) {
      const names = readdirSync(dir).filter((n) => n.endsWith(keep.ext));
      if (names.length > keep.max) {
        const aged = names.map((n) => ({ n, t: statSync(path.join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
        aged.sort((a, b) => a.t - b.t);
        for (const { n } of aged.slice(0, names.length - keep.max / 2)) rmSync(path.join(dir, n), { force: true });
      }
    }
    return true;
  } catch {
    return false;
  }
}

// Single stats, synchronous: cheaper than a thread-pool round trip on a local disk.
export async function exists(p: string): Promise<boolean> {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export async function isDir(p: string): Promise<boolean> {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export async function isFile(p: string): Promise<boolean> {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
export function isSubpath(child: string, parent: string): boolean {
  if (child === parent) return true;
  const p = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return child.startsWith(p);
}

/** POSIX relative path from `from` to `to`. */
export function relPosix(from: string, to: string): string {
  const r = path.relative(from, to);
  return path.sep === "/" ? r : r.split(path.sep).join("/");
}

/** The umask-derived mode of a fresh file (0o666 & ~umask). */
export function fileMode(): number {
  return 0o666 & ~currentUmask();
}

let umaskCache: number | undefined;
export function currentUmask(): number {
  if (umaskCache === undefined) {
    const u = process.umask(0);
    process.umask(u);
    umaskCache = u;
  }
  return umaskCache;
}

export const F_OK = C.F_OK;
