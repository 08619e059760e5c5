// dvc push (local remotes; see repo/data-sync.ts)
import type { Command } from "commander";
import { push } from "../repo/data-sync.js";
import { summaryOf } from "./checkout.js";
import { syncCommand, syncOpts } from "./fetch.js";
import { ui } from "./ui.js";

export function command(): Command {
  return syncCommand("push", "Upload tracked files or directories to remote storage.", async (repo, targets, opts) => {
    const r = await push(repo, targets, syncOpts(opts));
    ui.info(summaryOf([["pushed", r.count]]) || "Everything is up to date.");
  });
}
