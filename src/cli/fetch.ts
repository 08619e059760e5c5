// dvc fetch (local remotes; see repo/data-sync.ts), and the command frame push/fetch/pull share.
import type { Command } from "commander";
import { DvcException, errorText } from "../errors.js";
import { fetch, type SyncOptions } from "../repo/data-sync.js";
import { summaryOf } from "./checkout.js";
import type { Repo } from "../repo/repo.js";
import { action, dvcCommand, openRepo } from "./common.js";
import { ui } from "./ui.js";

export interface SyncCliOpts {
  remote?: string;
  recursive?: boolean;
  runCache?: boolean;
  allBranches?: boolean;
  allTags?: boolean;
  allCommits?: boolean;
  withDeps?: boolean;
  force?: boolean;
  allowMissing?: boolean;
  jobs?: string;
  glob?: boolean;
}

/**
 * `dvc push|fetch|pull` with their shared flags (dvc/commands/data_sync.py): `run` does the work
 * and prints; a DvcException becomes `ERROR: failed to <verb> data … - <message>`, exit 1.
 */
export function syncCommand(
  verb: "push" | "fetch" | "pull",
  description: string,
  run: (repo: Repo, targets: string[], opts: SyncCliOpts) => Promise<void>,
): Command {
  const what = verb === "push" ? "Push" : verb === "fetch" ? "Fetch" : "Pull";
  const cmd = dvcCommand(verb, description)
    .argument("[targets...]", "Limit command scope to these tracked files/directories, .dvc files and stage names.")
    .option("-r, --remote <name>", `Remote storage to ${verb} ${verb === "push" ? "to" : "from"}`)
    .option("-j, --jobs <number>", "Number of jobs to run simultaneously.")
    .option("-a, --all-branches", `${what} cache for all branches.`)
    .option("-T, --all-tags", `${what} cache for all tags.`)
    .option("-A, --all-commits", `${what} cache for all commits.`)
    .option("-d, --with-deps", `${what} cache for all dependencies of the specified target.`)
    .option("-R, --recursive", `${what} cache for subdirectories of the specified directory.`)
    .option("--run-cache", `${what} run history for all stages.`)
    .option("--no-run-cache", "Don't transfer run history (default).")
    .option("--glob", "Allows targets containing shell-style wildcards.");
  if (verb === "pull") {
    cmd
      .option("-f, --force", "Do not prompt when removing working directory files.")
      .option("--allow-missing", "Ignore errors if some of the files or directories are missing.");
  }
  return cmd.action(
    action(async (targets: string[], opts: SyncCliOpts) => {
      const repo = openRepo();
      await repo.lock();
      try {
        // Revisions other than the workspace come with git history support.
        if (opts.allBranches || opts.allTags || opts.allCommits) {
          throw new DvcException("-a/-T/-A (other revisions than the workspace) are not supported by this version of dvc-ts");
        }
        await run(repo, targets, opts);
        return 0;
      } catch (e) {
        if (!(e instanceof DvcException)) throw e;
        ui.error(`failed to ${verb} data ${verb === "push" ? "to" : "from"} the cloud - ${errorText(e)}`);
        return 1;
      }
    }),
  );
}

/** What the repo functions take from the flags. */
export function syncOpts(opts: SyncCliOpts): SyncOptions {
  return { remote: opts.remote, recursive: opts.recursive, runCache: opts.runCache, withDeps: opts.withDeps, glob: opts.glob };
}

export function command(): Command {
  return syncCommand("fetch", "Download files or directories from remote storage to the cache.", async (repo, targets, opts) => {
    const r = await fetch(repo, targets, syncOpts(opts));
    ui.info(summaryOf([["fetched", r.count]]) || "Everything is up to date.");
  });
}
