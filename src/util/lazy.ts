// Node built-ins loaded on first use. Loading node:child_process (with net and stream) or
// node:worker_threads costs ~6–10 ms each, which most commands, including a no-op `repro` or a
// pipeline `status`, never need.
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);
let child: typeof import("node:child_process") | undefined;
let workers: typeof import("node:worker_threads") | undefined;

export function childProcess(): typeof import("node:child_process") {
  return (child ??= load("node:child_process") as typeof import("node:child_process"));
}

export function workerThreads(): typeof import("node:worker_threads") {
  return (workers ??= load("node:worker_threads") as typeof import("node:worker_threads"));
}
