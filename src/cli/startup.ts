// What bin/dvc hands to main(): hooks into how it started the CLI (its V8 code cache).

export interface StartupHooks {
  /** Take the code cache now rather than at exit: functions compiled later are left out. */
  codeCacheCheckpoint?: () => void;
}

/**
 * Asked by bin/dvc at exit: whether this run is like the command's usual ones, so that its code
 * cache is worth writing. A run that parsed a dvc.yaml or dvc.lock missing from the parsed-YAML
 * cache (a first run) also compiled the YAML parser, which the usual runs never call; the cache
 * is written by a later run.
 */
export { usualRun as codeCacheWorthy } from "../util/run-stats.js";

let hooks: StartupHooks = {};

export function setStartupHooks(h: StartupHooks): void {
  hooks = h;
}

/**
 * The command's common part is over (e.g. `repro` is about to reproduce a stage). V8
 * deserializes a whole code cache before a command starts, so a cache that also held the code of
 * this run's rarer part would slow down every run that does only the common part (a no-op
 * `repro`: ~5 ms with the code of running 100 stages in it). Only the first such call counts.
 */
export function codeCacheCheckpoint(): void {
  const h = hooks.codeCacheCheckpoint;
  if (!h) return;
  hooks = { ...hooks, codeCacheCheckpoint: undefined };
  h();
}
