// Ctrl-C while a stage command runs: DVC ignores SIGINT in its own process and lets the child
// (which gets the terminal's SIGINT too) decide; the stage then fails like any other. Outside
// such windows a Ctrl-C ends the command ("interrupted by the user", exit 252), which the CLI
// handles. The core only says when interrupts are held.

let held = 0;

const ignore = (): void => {};

/**
 * Hold interrupts while a child command runs: SIGINT does not end this process (also when it is
 * used as a library), and the CLI's handler stands aside. Returns the release function.
 */
export function holdInterrupts(): () => void {
  held++;
  process.on("SIGINT", ignore);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held--;
    process.off("SIGINT", ignore);
  };
}

/** Whether a child command is running (a SIGINT is for it). */
export function interruptsHeld(): boolean {
  return held > 0;
}

let exiting = false;

/** The CLI is ending the process after a Ctrl-C (and waits for background writes first). */
export function markExiting(): void {
  exiting = true;
}

/** Between steps of a long operation: once the process is exiting, never go on (nothing new
 * starts while the exit waits for writes already running). */
export function haltIfExiting(): Promise<void> {
  return exiting ? new Promise<void>(() => {}) : Promise.resolve();
}

const exitRemovals = new Set<string>();

/**
 * A temp file that a Ctrl-C exit should not leave behind (a partial copy into the cache).
 * Returns the function that forgets it (once it is renamed into place or removed).
 */
export function removeOnExit(path: string): () => void {
  exitRemovals.add(path);
  return () => void exitRemovals.delete(path);
}

/** The temp files registered with removeOnExit, for the exit path to remove. */
export function pathsToRemoveOnExit(): string[] {
  return [...exitRemovals];
}
