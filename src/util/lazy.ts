// Node built-ins loaded on first use. Loading node:child_process (with net and stream),
// node:worker_threads or node:crypto costs ~6–10 ms each, which most commands, including a no-op
// `repro` or a pipeline `status`, never need.
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);
let child: typeof import("node:child_process") | undefined;
let workers: typeof import("node:worker_threads") | undefined;
let crypt: typeof import("node:crypto") | undefined;

export function childProcess(): typeof import("node:child_process") {
  return (child ??= load("node:child_process") as typeof import("node:child_process"));
}

export function workerThreads(): typeof import("node:worker_threads") {
  return (workers ??= load("node:worker_threads") as typeof import("node:worker_threads"));
}

export function crypto(): typeof import("node:crypto") {
  return (crypt ??= load("node:crypto") as typeof import("node:crypto"));
}
