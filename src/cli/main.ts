// `dvc` entry: global flags, then lazy dispatch to one module per command (src/cli/<name>.ts)
// so that only the code a command needs is loaded.
import { VERSION } from "../version.js";
import { setStartupHooks, type StartupHooks } from "./startup.js";
/**
 * Asked by bin/dvc at exit: whether this run is like the command's usual ones, so that its code
 * cache is worth writing. A run that parsed a dvc.yaml or dvc.lock missing from the parsed-YAML
 * cache (a first run) also compiled the YAML parser, which the usual runs never call; the cache
 * is written by a later run.
 */
export { usualRun as codeCacheWorthy } from "../util/run-stats.js";

interface Entry {
  summary: string;
  /** An alias (`rm`, `mv`): accepted, not listed in help. */
  alias?: boolean;
  load: () => Promise<{ command: () => import("commander").Command }>;
}

const COMMANDS: Record<string, Entry> = {
  init: { summary: "Initialize DVC in the current directory.", load: () => import("./init.js") },
  add: { summary: "Track data files or directories with DVC.", load: () => import("./add.js") },
  status: { summary: "Show changed stages, compare local cache and a remote storage.", load: () => import("./status.js") },
  checkout: { summary: "Checkout data files from cache.", load: () => import("./checkout.js") },
  commit: { summary: "Record changes to files or directories tracked by DVC.", load: () => import("./commit.js") },
  remove: { summary: "Remove stages from dvc.yaml and/or stop tracking files or directories.", load: () => import("./remove.js") },
  move: { summary: "Rename or move a DVC controlled data file or a directory.", load: () => import("./move.js") },
  unprotect: { summary: "Unprotect tracked files or directories (when hardlinks or symlinks have been enabled with `dvc config cache.type`)", load: () => import("./unprotect.js") },
  gc: { summary: "Garbage collect unused objects from cache or remote storage.", load: () => import("./gc.js") },
  "check-ignore": { summary: "Check whether files or directories are excluded due to `.dvcignore`.", load: () => import("./check-ignore.js") },
  rm: { alias: true, summary: "", load: () => import("./remove.js") },
  mv: { alias: true, summary: "", load: () => import("./move.js") },
  destroy: { summary: "Remove DVC files, local DVC config and data cache.", load: () => import("./destroy.js") },
  config: { summary: "Get or set config options.", load: () => import("./config.js") },
  cache: { summary: "Manage cache settings.", load: () => import("./cache.js") },
  remote: { summary: "Set up and manage data remotes.", load: () => import("./remote.js") },
  push: { summary: "Upload tracked files or directories to remote storage.", load: () => import("./push.js") },
  pull: { summary: "Download tracked files or directories from remote storage.", load: () => import("./pull.js") },
  fetch: { summary: "Download files or directories from remote storage to the cache.", load: () => import("./fetch.js") },
  stage: { summary: "Commands to list and create stages.", load: () => import("./stage.js") },
  freeze: { summary: "Freeze stages or .dvc files.", load: () => import("./freeze.js") },
  unfreeze: { summary: "Unfreeze stages or .dvc files.", load: () => import("./unfreeze.js") },
  repro: { summary: "Reproduce complete or partial pipelines.", load: () => import("./repro.js") },
  dag: { summary: "Visualize DVC project DAG.", load: () => import("./dag.js") },
  version: { summary: "Display the DVC version and system/environment information.", load: () => import("./version.js") },
};

function topHelp(): string {
  const names = Object.keys(COMMANDS)
    .filter((n) => !COMMANDS[n].alias)
    .sort();
  const width = Math.max(...names.map((n) => n.length)) + 4;
  const lines = [
    "usage: dvc [-q | -v] [-h] [-V] [--cd <path>] COMMAND ...",
    "",
    "Data Version Control",
    "",
    "options:",
    "  -q, --quiet         Suppresses all output except errors.",
    "  -v, --verbose       Be verbose.",
    "  -h, --help          Show this help message and exit.",
    "  -V, --version       Show program's version.",
    "  --cd <path>         Change to directory before executing.",
    "",
    "Available Commands:",
    ...names.map((n) => `    ${n.padEnd(width)}${COMMANDS[n].summary}`),
    "",
  ];
  return lines.join("\n");
}

export async function main(argv: string[], hooks: StartupHooks = {}): Promise<void> {
  setStartupHooks(hooks);
  // Fast path: nothing else is loaded for the version.
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    process.stdout.write(VERSION + "\n");
    return;
  }
  const { ui } = await import("./ui.js");
  let i = 0;
  const globalFlags: string[] = [];
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--cd") {
      const dir = argv[++i];
      if (dir === undefined) {
        ui.error("argument --cd: expected one argument");
        process.exitCode = 254;
        return;
      }
      process.chdir(dir);
    } else if (a.startsWith("--cd=")) {
      process.chdir(a.slice(5));
    } else if (a === "-q" || a === "--quiet" || a === "-v" || a === "--verbose") {
      globalFlags.push(a);
    } else if (a === "-h" || a === "--help") {
      process.stdout.write(topHelp());
      return;
    } else if (a === "-V" || a === "--version") {
      process.stdout.write(VERSION + "\n");
      return;
    } else break;
  }
  const name = argv[i];
  if (name === undefined) {
    process.stderr.write(topHelp());
    ui.error("the following arguments are required: COMMAND");
    process.exitCode = 254;
    return;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    ui.error(`argument COMMAND: invalid choice: '${name}' (choose from ${Object.keys(COMMANDS).map((n) => `'${n}'`).join(", ")})`);
    process.stderr.write("usage: dvc [-q | -v] [-h] [-V] [--cd <path>] COMMAND ...\n");
    process.exitCode = 254;
    return;
  }
  const [{ CommanderError }, common, mod] = await Promise.all([
    import("commander"),
    import("./common.js"),
    entry.load(),
  ]);
  const cmd = mod.command();
  let failed: import("commander").Command = cmd;
  const configure = (c: import("commander").Command): void => {
    c.exitOverride((err) => {
      failed = c;
      throw err;
    });
    c.configureOutput({ outputError: () => {} });
    for (const sub of c.commands) configure(sub);
  };
  configure(cmd);
  try {
    await cmd.parseAsync([...globalFlags, ...argv.slice(i + 1)], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = common.translateCommanderError(err, failed);
    } else {
      process.exitCode = common.reportError(err);
    }
  }
}
