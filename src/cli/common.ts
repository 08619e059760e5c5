// Shared command plumbing: every `dvc <cmd>` is a commander Command built with dvcCommand(),
// its action wrapped by action() which maps exceptions to DVC's `ERROR: …` line and exit code.
import * as fs from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { ConfigError, DvcException, errorText } from "../errors.js";
import { ui } from "./ui.js";
import { closeAllRepos, Repo } from "../repo/repo.js";
import { interruptsHeld, markExiting, pathsToRemoveOnExit } from "../util/interrupt.js";
import { afterPendingWrites } from "../util/write-behind.js";

/** Open the repo around the current directory with warnings printed by the CLI. */
export function openRepo(): Repo {
  const repo = Repo.open();
  repo.onWarning = (msg) => ui.warn(msg);
  repo.progress = (label) => ui.progress(label);
  return repo;
}

/** A command with DVC's common flags (-q/--quiet, -v/--verbose, -h/--help). */
export function dvcCommand(name: string, description: string): Command {
  const cmd = new Command(name)
    .description(description)
    .addOption(new Option("-q, --quiet", "Be quiet.").conflicts("verbose"))
    .option("-v, --verbose", "Be verbose.")
    .helpOption("-h, --help", "Show this help message and exit.")
    .allowExcessArguments(false);
  cmd.hook("preAction", (_this, actionCmd) => {
    const o = actionCmd.optsWithGlobals();
    if (o.quiet) ui.level = "quiet";
    else if (o.verbose) ui.level = "verbose";
  });
  return cmd;
}

/** Subcommand of a command group (`dvc config`, `dvc cache dir`, `dvc remote add` …). */
export function dvcSubcommand(parent: Command, name: string, description: string): Command {
  const sub = dvcCommand(name, description);
  parent.addCommand(sub);
  return sub;
}

/** Print a DvcException: `ERROR: msg: cause…`, or a pre-formatted report (schema/YAML) as is. */
export function printError(err: DvcException, prefix = ""): void {
  if ((err as { pretty?: boolean }).pretty) {
    process.stderr.write(err.message + "\n");
    return;
  }
  const text = errorText(err);
  if (text) ui.error(prefix + text);
}

/** Exit code and message of any error, printed the DVC way. */
export function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    ui.error(`configuration error - ${errorText(err)}`);
    return err.exitCode;
  }
  if (err instanceof DvcException) {
    printError(err);
    return err.exitCode;
  }
  if (err instanceof CommanderError) throw err;
  const e = err as NodeJS.ErrnoException;
  ui.error(`unexpected error - ${errorText(e)}`);
  if (ui.level === "verbose" && e?.stack) process.stderr.write(e.stack + "\n");
  return 255;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyArgs = any[];

/**
 * Ctrl-C (DVC's KeyboardInterrupt): `ERROR: interrupted by the user`, exit 252. Every write is
 * atomic, so stopping between two steps leaves consistent files; the repo lock is released.
 * While a stage command runs the interrupt is the child's (see util/interrupt.ts).
 */
function onInterrupt(): void {
  if (interruptsHeld()) return;
  ui.error("interrupted by the user");
  markExiting();
  // dvc.lock / .gitignore writes a repro left running finish first (milliseconds)
  afterPendingWrites(() => {
    try {
      closeAllRepos();
    } catch {
      /* exiting anyway */
    }
    // partial copies into the cache from a read that was under way
    for (const p of pathsToRemoveOnExit()) fs.rmSync(p, { force: true });
    process.exit(252);
  });
}

/** Wrap a command body: its return value is the exit code; exceptions become ERROR lines. */
export function action<A extends AnyArgs>(fn: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A): Promise<void> => {
    let code: number;
    process.on("SIGINT", onInterrupt);
    try {
      code = (await fn(...args)) ?? 0;
    } catch (err) {
      code = reportError(err);
    } finally {
      closeAllRepos();
      process.off("SIGINT", onInterrupt);
    }
    process.exitCode = code;
  };
}

/** argparse-style usage errors: `ERROR: <msg>` then the usage line, exit 254. */
export function usageError(cmd: Command, message: string): never {
  ui.error(message);
  process.stderr.write(`usage: ${commandPath(cmd)} ${cmd.usage()}\n`);
  throw new CommanderError(254, "dvc.usage", message);
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  if (names[0] !== "dvc") names.unshift("dvc");
  return names.join(" ");
}

/** Translate commander's parse errors to argparse's wording. */
export function translateCommanderError(err: CommanderError, cmd: Command): number {
  switch (err.code) {
    case "commander.helpDisplayed":
    case "commander.help":
    case "commander.version":
      return 0;
    case "dvc.usage":
      return 254;
  }
  let msg = err.message.replace(/^error: /, "");
  let m: RegExpExecArray | null;
  if ((m = /missing required argument '([^']+)'/.exec(msg))) {
    msg = `the following arguments are required: ${m[1]}`;
  } else if ((m = /unknown option '([^']+)'/.exec(msg))) {
    msg = `unrecognized arguments: ${m[1]}`;
  } else if ((m = /too many arguments.*?Expected .*? but got (\d+)/.exec(msg))) {
    msg = `unrecognized arguments`;
  } else if ((m = /option '([^']+)' argument missing/.exec(msg))) {
    msg = `argument ${m[1].replace(/ <.*$/, "").replace(", ", "/")}: expected one argument`;
  }
  ui.error(msg);
  process.stderr.write(`usage: ${commandPath(cmd)} ${cmd.usage()}\n`);
  return 254;
}

/** Collect a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return previous ? [...previous, value] : [value];
}
