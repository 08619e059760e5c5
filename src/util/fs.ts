// Small file-system helpers shared by the core: atomic writes, existence checks, path safety.
import { constants as C, lstatSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${TMP_TAG}-${++tmpSeq}.tmp`);
  try {
    writeFileSync(tmp, data, mode !== undefined ? { mode } : undefined);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
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
