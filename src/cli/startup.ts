// What bin/dvc hands to main(): hooks into how it started the CLI (its V8 code cache).

export interface StartupHooks {
  /** Take the code cache now rather than at exit: functions compiled later are left out. */
  codeCacheCheckpoint?: () => void;
}

let hooks: StartupHooks = {};

export function setStartupHooks(h: StartupHooks): void {
  hooks = h;
}

/**
 * The command's common part is over (e.g. `repro` is about to reproduce a stage). V8
 * deserializes a whole code cache before a command starts, so a cache that also held the code of
 * this run's rarer part would slow down every run that does only the common part (a no-op
 * `repro`: ~5 ms with the code of running 100 stages in it). bin/dvc takes it at the first call.
 */
export function codeCacheCheckpoint(): void {
  hooks.codeCacheCheckpoint?.();
}
