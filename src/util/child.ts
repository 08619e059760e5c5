// node:child_process on first use: loading it (with net and stream) costs ~6 ms, which most
// commands, including a no-op `repro`, never need.
import { createRequire } from "node:module";

let mod: typeof import("node:child_process") | undefined;

export function childProcess(): typeof import("node:child_process") {
  return (mod ??= createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process"));
}
