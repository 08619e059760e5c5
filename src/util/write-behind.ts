// Writes whose content is final when they are scheduled (dvc.lock, .gitignore, run-cache
// entries during a sequential `repro`), done on libuv's thread pool while the main thread goes
// on — in practice while the next stage's command runs on the other core. Creating and
// replacing files costs ~0.1–0.7 ms each on ext4 here (inode allocation, the flush ext4 starts
// when a rename replaces a file), three or four times per stage.
//
// Each file's writes stay in order and atomic (temp + rename); a write scheduled while an
// earlier one for the same file waits is merged into it (only the newest content is written:
// every content is complete, so skipping one loses nothing). Readers of those files ask
// `pending()` first. Errors are kept: `failure` for a quick check, and `flush()` waits for
// everything and throws the first one.
import { promises as fsp } from "node:fs";
import * as path from "node:path";

let seq = 0;
/** Every write still running in this process, whichever WriteBehind scheduled it. */
const inFlight = new Set<Promise<void>>();

/** Call `fn` once no background write is running (at once when none is): an interrupted
 * command exits through this so it does not cut a write short and leave its temp file. */
export function afterPendingWrites(fn: () => void): void {
  if (inFlight.size === 0) return fn();
  void Promise.all([...inFlight]).then(() => afterPendingWrites(fn));
}
const TAG = Math.random().toString(36).slice(2, 8);

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${TAG}-w${++seq}.tmp`);
  try {
    await fsp.writeFile(tmp, data);
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}

interface FileQueue {
  /** The newest content scheduled (what the file will hold once idle). */
  latest: string | Uint8Array;
  /** Content waiting for the running write to end. */
  next: { data: string | Uint8Array; done: Array<(ok: boolean) => void> } | null;
}

export class WriteBehind {
  private readonly files = new Map<string, FileQueue>();
  private readonly running = new Set<Promise<void>>();
  private error: unknown = undefined;
  private failedFlag = false;

  /** The content `file` will hold when the scheduled writes end; undefined when none is pending. */
  pending(file: string): string | Uint8Array | undefined {
    return this.files.get(file)?.latest;
  }

  /** The first error of a background write, if one failed. */
  get failure(): unknown {
    return this.failedFlag ? this.error : undefined;
  }

  /** Write `data` to `file` atomically, after any write of it scheduled before; `done(true)`
   * runs once that content (or a newer one) is on disk, `done(false)` if it never will be. */
  write(file: string, data: string | Uint8Array, done?: (ok: boolean) => void): void {
    const q = this.files.get(file);
    if (q) {
      q.latest = data;
      if (q.next) {
        q.next.data = data;
        if (done) q.next.done.push(done);
      } else q.next = { data, done: done ? [done] : [] };
      return;
    }
    const fq: FileQueue = { latest: data, next: null };
    this.files.set(file, fq);
    this.track(this.drain(file, fq, { data, done: done ? [done] : [] }));
  }

  /** Any other background step (e.g. mkdir + write of a run-cache entry). */
  task(fn: () => Promise<void>): void {
    this.track(Promise.resolve().then(fn));
  }

  private async drain(file: string, q: FileQueue, first: { data: string | Uint8Array; done: Array<(ok: boolean) => void> }): Promise<void> {
    let job: typeof first | null = first;
    try {
      while (job) {
        await writeAtomic(file, job.data);
        for (const d of job.done) d(true);
        job = q.next;
        q.next = null;
      }
    } catch (e) {
      // this write and the one waiting behind it (if any) will not happen
      for (const d of [...(job?.done ?? []), ...(q.next?.done ?? [])]) d(false);
      throw e;
    } finally {
      this.files.delete(file);
    }
  }

  private track(p: Promise<void>): void {
    const t = p.catch((e: unknown) => {
      if (!this.failedFlag) {
        this.failedFlag = true;
        this.error = e;
      }
    });
    this.running.add(t);
    inFlight.add(t);
    void t.then(() => {
      this.running.delete(t);
      inFlight.delete(t);
    });
  }

  /** A promise settled once every write scheduled so far has ended (never rejects). */
  checkpoint(): Promise<void> {
    return Promise.all([...this.running]).then(() => {});
  }

  /** Wait for every scheduled write; nothing is thrown. */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /** Wait for every scheduled write, then throw the first error if one failed. */
  async flush(): Promise<void> {
    await this.settle();
    if (this.failedFlag) throw this.error;
  }
}
