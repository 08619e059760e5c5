// dvc checkout
import type { Command } from "commander";
import { checkout, CheckoutError, type CheckoutResult } from "../repo/checkout.js";
import { action, dvcCommand, openRepo } from "./common.js";
import { ui } from "./ui.js";

interface Opts {
  summary?: boolean;
  withDeps?: boolean;
  recursive?: boolean;
  force?: boolean;
  relink?: boolean;
  allowMissing?: boolean;
}

export function logChanges(r: CheckoutResult): void {
  for (const [letter, list] of [["M", r.modified], ["A", r.added], ["D", r.deleted]] as const) {
    // DVC writes `letter\tpath` through rich, which expands the tab to column 8.
    for (const p of list) ui.info(`${letter.padEnd(8)}${p}`);
  }
}

/** dvc/utils/humanize.py get_summary: "4 files fetched and 3 files added" (zeros left out). */
export function summaryOf(stats: [string, number][]): string {
  const parts: string[] = [];
  for (const [k, n] of stats) {
    if (!n) continue;
    parts.push(`${n} file${n > 1 ? "s" : ""} ${k}`);
  }
  if (parts.length === 0) return "";
  if (parts.length === 1) return parts[0];
  return parts.slice(0, -1).join(", ") + " and " + parts[parts.length - 1];
}

function summary(r: CheckoutResult): string {
  return summaryOf(Object.entries(r.stats));
}

export function command(): Command {
  return dvcCommand("checkout", "Checkout data files from cache.")
    .argument("[targets...]", "Limit command scope to these tracked files/directories, .dvc files and stage names.")
    .option("--summary", "Show summary of the changes.")
    .option("-d, --with-deps", "Checkout all dependencies of the specified target.")
    .option("-R, --recursive", "Checkout all subdirectories of the specified directory.")
    .option("-f, --force", "Do not prompt when removing working directory files.")
    .option("--relink", "Recreate links or copies from cache to workspace.")
    .option("--allow-missing", "Ignore errors if some of the files or directories are missing.")
    .action(
      action(async (targets: string[], opts: Opts) => {
        const repo = openRepo();
        await repo.lock();
        let result: CheckoutResult;
        let error: CheckoutError | undefined;
        try {
          result = await checkout(repo, targets, opts);
        } catch (e) {
          if (!(e instanceof CheckoutError)) throw e;
          error = e;
          result = e.result;
        }
        if (opts.summary) ui.info(summary(result) || "No changes.");
        else logChanges(result);
        if (error) throw error;
        if (opts.relink) ui.info("Relinked successfully");
        return 0;
      }),
    );
}
