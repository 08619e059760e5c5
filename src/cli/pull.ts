// dvc pull: fetch, then checkout (local remotes; see repo/data-sync.ts)
import type { Command } from "commander";
import type { CheckoutResult } from "../repo/checkout.js";
import { pull, PullCheckoutError } from "../repo/data-sync.js";
import { logChanges, summaryOf } from "./checkout.js";
import { syncCommand, syncOpts } from "./fetch.js";
import { ui } from "./ui.js";

function report(fetched: number, r: CheckoutResult): void {
  logChanges(r);
  ui.info(summaryOf([["fetched", fetched], ...(Object.entries(r.stats) as [string, number][])]) || "Everything is up to date.");
}

export function command(): Command {
  return syncCommand("pull", "Download tracked files or directories from remote storage.", async (repo, targets, opts) => {
    try {
      const r = await pull(repo, targets, { ...syncOpts(opts), force: opts.force, allowMissing: opts.allowMissing });
      report(r.fetched, r.checkout);
    } catch (e) {
      // what was fetched and checked out is reported before the error, as DVC does
      if (e instanceof PullCheckoutError) report(e.fetched, e.result);
      throw e;
    }
  });
}
