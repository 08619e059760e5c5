// The repo lock (.dvc/tmp/lock): one writer at a time. DVC's zc.lockfile writes " <pid>\n" and
// keeps the file after use, so a lock whose pid is not alive is stale and is taken over.
import { mkdirSync, openSync, writeSync, closeSync, readFileSync, unlinkSync } from "node:fs";
import * as path from "node:path";
import { DvcException } from "../errors.js";

export class LockError extends DvcException {}

export const LOCK_MESSAGE =
  "Unable to acquire lock. Most likely another DVC process is running or was terminated abruptly. " +
  "Check the page <https://dvc.org/doc/user-guide/troubleshooting#lock-issue> for other possible reasons " +
  "and to learn how to resolve this.";

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process stays a zombie until its parent reaps it, and signal 0 still reaches it:
  // on Linux, its state in /proc says it is gone (DVC's fcntl lock is released at exit too).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

export class RepoLock {
  private held = false;
  constructor(private readonly file: string) {}

  /** Take the lock or throw LockError. Ours is marked by a "dvc-ts" token after the pid. */
  acquire(): void {
    if (this.held) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.file, "wx");
        writeSync(fd, ` ${process.pid}\n`);
        closeSync(fd);
        this.held = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") {
          throw e;
        }
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      let pid = NaN;
      try {
        pid = Number(readFileSync(this.file, "utf8").trim());
      } catch {
        continue; // vanished meanwhile: retry
      }
      if (alive(pid)) throw new LockError(LOCK_MESSAGE);
      try {
        unlinkSync(this.file); // stale: its owner is gone
      } catch {
        /* someone else removed it: retry */
      }
    }
    throw new LockError(LOCK_MESSAGE);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      unlinkSync(this.file);
    } catch {
      /* already gone */
    }
  }

  static async forRepo(tmpDir: string): Promise<RepoLock> {
    mkdirSync(tmpDir, { recursive: true });
    return new RepoLock(path.join(tmpDir, "lock"));
  }
}
