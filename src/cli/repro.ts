// dvc repro
import type { Command } from "commander";
import { reproduce, type ReproOptions } from "../repo/reproduce.js";
import { ScmContext } from "../repo/scm-context.js";
import { action, dvcCommand, openRepo } from "./common.js";
import { codeCacheCheckpoint } from "./startup.js";
import { confirm } from "./prompt.js";
import { ui } from "./ui.js";

/** Commander's names for the options; the rest are ReproOptions as they are. */
type Opts = Omit<ReproOptions, "single" | "noCommit" | "noRunCache" | "jobs"> & {
  singleItem?: boolean;
  commit: boolean;
  runCache: boolean;
  pull?: boolean;
  jobs?: string;
};

export function command(): Command {
  return dvcCommand("repro", "Reproduce complete or partial pipelines.")
    .argument("[targets...]", "Stages to reproduce. 'dvc.yaml' by default.")
    .option("-f, --force", "Reproduce even if dependencies were not changed.")
    .option("-i, --interactive", "Ask for confirmation before reproducing each stage.")
    .option("-s, --single-item", "Reproduce only single data item without recursive dependencies check.")
    .option("-p, --pipeline", "Reproduce the whole pipeline that the specified targets belong to.")
    .option("-P, --all-pipelines", "Reproduce all pipelines in the repo.")
    .option("-R, --recursive", "Reproduce all stages in the specified directory.")
    .option("--downstream", "Start from the specified stages when reproducing pipelines.")
    .option("--force-downstream", "Reproduce all descendants of a changed stage even if their direct dependencies didn't change.")
    .option("--pull", "Try automatically pulling missing data.")
    .option("--allow-missing", "Skip stages with missing data but no other changes.")
    .option("--dry", "Only print the commands that would be executed without actually executing.")
    .option("-k, --keep-going", "Continue executing, skipping stages having dependencies on the failed stages")
    .option("--ignore-errors", "Ignore errors from stages.")
    .option("--no-commit", "Don't put files/directories into cache.")
    .option("--no-run-cache", "Execute stage commands even if they have already been run with the same command/dependencies/outputs/etc before.")
    .option("--glob", "Allows targets containing shell-style wildcards.")
    .option("-j, --jobs <number>", "Run up to this many independent stages at once (dvc-ts extension; default 1, DVC's behaviour).")
    .action(
      action(async (targets: string[], opts: Opts) => {
        const repo = openRepo();
        await repo.lock();
        const scm = new ScmContext(repo);
        const { singleItem, commit, runCache, pull, jobs: jobsArg, ...common } = opts;
        const jobs = jobsArg === undefined ? 1 : Number(jobsArg);
        if (!Number.isInteger(jobs) || jobs < 1) {
          ui.error(`argument -j/--jobs: invalid positive int value: '${jobsArg}'`);
          return 254;
        }
        const whole = opts.pipeline || opts.allPipelines;
        let result;
        try {
          result = await reproduce(
            repo,
            targets,
            {
              ...common,
              single: singleItem && !whole,
              downstream: opts.downstream && !whole,
              interactive: opts.interactive || repo.config.getBool("core", "interactive"),
              noCommit: !commit,
              noRunCache: !runCache,
              pull,
              jobs,
            },
            {
              info: (t) => ui.info(t),
              warn: (t) => ui.warn(t),
              confirm: async (q) => confirm(q),
              // the code cache of `repro` holds what a no-op needs, not the code of running stages
              stageStarts: codeCacheCheckpoint,
            },
            scm,
          );
        } catch (e) {
          await scm.rollback();
          throw e;
        }
        const hint = scm.finish(await repo.autostage());
        if (hint) ui.info(hint);
        if (result.reproduced.length) ui.info("Use `dvc push` to send your updates to remote storage.");
        else ui.info("Data and pipelines are up to date.");
        return 0;
      }),
    );
}

