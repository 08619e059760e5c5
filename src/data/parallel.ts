// The parallel engine used for hashing, storing and checking out many files: the main thread
// and pooled worker threads pull item indices from a shared atomic counter and each run a sync
// loop. Results land in SharedArrayBuffers: no per-file messages between threads.
//
// Tasks are named functions registered with `registerTask` by the module that defines them
// (hash.ts, checkout.ts). Worker threads run `worker.ts`, which imports those modules, so the
// same names resolve on every thread, whether the code runs from tsc's output or from the
// bundle (where `worker.js` sits next to the chunks, as it sits next to this file in dist/src).
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { workerThreads } from "../util/lazy.js";

/** Handed to a task function by every participant (main thread and workers). */
export interface ParallelContext {
  /** Index of the next item to process, or -1 when all were claimed. */
  claim(): number;
  /** Report `n` more items done (progress). */
  tick(n: number): void;
  readonly isMain: boolean;
}

/** A per-item failure reported by a task. */
export interface ItemError {
  index: number;
  code?: string;
  message: string;
}

export type TaskFn<D> = (data: D, ctx: ParallelContext) => Promise<ItemError[]> | ItemError[];

export interface ParallelOptions {
  /** Total threads including the main one (default: available parallelism, at most 4). */
  threads?: number;
  /** Do not start a worker for fewer than this many items per thread (default 400). */
  minItemsPerThread?: number;
  /** Items that cost real work, when fewer than all (the thread count is sized on this). */
  heavyItems?: number;
  /** Items claimed at a time by a thread (default 16); larger keeps neighbours together. */
  claimBatch?: number;
  onProgress?: (done: number, total: number) => void;
}

export const WORKER_TAG = "dvc-ts-parallel";
const CLAIM_BATCH = 16;

const tasks = new Map<string, TaskFn<never>>();

/** Make `fn` runnable by name on every thread (call at module top level). */
export function registerTask<D>(name: string, fn: TaskFn<D>): void {
  tasks.set(name, fn as TaskFn<never>);
}

function taskFor<D>(name: string): TaskFn<D> {
  const fn = tasks.get(name);
  if (!fn) throw new Error(`unknown parallel task '${name}'`);
  return fn as unknown as TaskFn<D>;
}

function makeContext(counter: Int32Array, total: number, batch: number, isMain: boolean, onTick?: () => void): ParallelContext {
  let cur = 0;
  let end = 0;
  return {
    isMain,
    claim(): number {
      if (cur < end) return cur++;
      const start = Atomics.add(counter, 0, batch);
      if (start >= total) return -1;
      cur = start;
      end = Math.min(start + batch, total);
      return cur++;
    },
    tick(n: number): void {
      Atomics.add(counter, 1, n);
      onTick?.();
    },
  };
}

export interface TaskMessage {
  task: string;
  data: unknown;
  counter: Int32Array;
  total: number;
  batch: number;
}

export type TaskReply = { errors: ItemError[] } | { fatal: string };

/** A worker thread that runs tasks one at a time; referenced only while busy. */
class PoolWorker {
  private readonly worker: Worker;
  private pending: { resolve: (e: ItemError[]) => void; reject: (e: Error) => void } | null = null;
  dead = false;

  constructor() {
    const { Worker: WorkerThread } = workerThreads();
    this.worker = new WorkerThread(new URL("./worker.js", import.meta.url), { workerData: { tag: WORKER_TAG } });
    this.worker.on("message", (m: TaskReply) => this.settle(m));
    this.worker.on("error", (e) => this.fail(e));
    this.worker.on("exit", (code) => this.fail(new Error(`worker exited with code ${code}`)));
    // After the listeners: adding a "message" listener would ref the worker again.
    this.worker.unref();
  }

  run(task: TaskMessage): Promise<ItemError[]> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new Error("worker is gone"));
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(task);
    });
  }

  private settle(m: TaskReply): void {
    const p = this.pending;
    this.pending = null;
    this.worker.unref();
    if (!p) return;
    if ("fatal" in m) p.reject(new Error(m.fatal));
    else p.resolve(m.errors);
  }

  private fail(e: Error): void {
    this.dead = true;
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }
}

const pool: PoolWorker[] = [];

export function defaultThreads(): number {
  return Math.min(4, availableParallelism());
}

/**
 * Start worker threads ahead of a big job so that their start-up (tens of ms) overlaps other
 * work such as walking a directory. Idle workers do not keep the process alive.
 */
export function prewarmWorkers(threads: number = defaultThreads()): void {
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i].dead) pool.splice(i, 1);
  while (pool.length < threads - 1) pool.push(new PoolWorker());
}

/**
 * Run the registered task `name` over `count` items on the main thread plus pooled worker
 * threads. `data` must be structured-cloneable; put results in SharedArrayBuffer-backed arrays
 * inside it.
 */
export async function runParallel<D>(name: string, data: D, count: number, opts: ParallelOptions = {}): Promise<ItemError[]> {
  const fn = taskFor<D>(name);
  const counter = new Int32Array(new SharedArrayBuffer(8));
  const minPer = opts.minItemsPerThread ?? 400;
  const threads = Math.max(1, Math.min(opts.threads ?? defaultThreads(), Math.floor((opts.heavyItems ?? count) / minPer)));
  if (threads > 1) prewarmWorkers(threads);
  const batch = Math.max(1, opts.claimBatch ?? CLAIM_BATCH);
  const task: TaskMessage = { task: name, data, counter, total: count, batch };
  const workers = pool.slice(0, threads - 1).map((w) => w.run(task));
  let lastReport = 0;
  const onTick = opts.onProgress
    ? (): void => {
        const done = Atomics.load(counter, 1);
        if (done - lastReport >= 64) {
          lastReport = done;
          opts.onProgress?.(done, count);
        }
      }
    : undefined;
  const errors = [...(await fn(data, makeContext(counter, count, batch, true, onTick)))];
  for (const w of await Promise.all(workers)) errors.push(...w);
  opts.onProgress?.(count, count);
  return errors.sort((a, b) => a.index - b.index);
}

/** The worker side: run each task message and reply with its errors (see worker.ts). */
export async function runTaskMessage(task: TaskMessage): Promise<TaskReply> {
  try {
    return { errors: await taskFor(task.task)(task.data as never, makeContext(task.counter, task.total, task.batch, false)) };
  } catch (e) {
    return { fatal: e instanceof Error ? e.message : String(e) };
  }
}
