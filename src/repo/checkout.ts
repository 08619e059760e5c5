// `dvc checkout` (dvc/repo/checkout.py): bring the workspace to what the DVC files record.
// Everything is planned first (so unsaved data is refused before anything changes), then
// applied; outputs whose cache is missing are reported together at the end.
import { statSync } from "node:fs";
import * as path from "node:path";
import { DvcException } from "../errors.js";
import { cmpCodepoint } from "../util/py.js";
import { collectGranular } from "./collect.js";
import type { Repo } from "./repo.js";
import { planCheckout, type CheckoutPlan } from "./workspace.js";

export class CheckoutError extends DvcException {
  constructor(
    readonly failed: string[],
    readonly result: CheckoutResult,
  ) {
    super(
      `Checkout failed for following targets:\n${failed.join("\n")}\nIs your cache up to date?\n<https://error.dvc.org/missing-files>`,
    );
  }
}

export interface CheckoutResult {
  modified: string[];
  added: string[];
  deleted: string[];
  stats: { modified: number; added: number; deleted: number };
}

export interface CheckoutOptions {
  force?: boolean;
  relink?: boolean;
  recursive?: boolean;
  allowMissing?: boolean;
  /** With targets: also the stages upstream of them. */
  withDeps?: boolean;
}

/** `path/` for a directory (dvc/repo/checkout.py `_fspath_dir`). */
function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  try {
    if (statSync(abs).isDirectory()) return rel + path.sep;
  } catch {
    /* gone */
  }
  return rel;
}

export async function checkout(repo: Repo, targets: string[], opts: CheckoutOptions = {}): Promise<CheckoutResult> {
  let infos;
  try {
    infos = await collectGranular(repo, targets, { recursive: opts.recursive, withDeps: opts.withDeps });
  } catch (e) {
    if (targets.length && e instanceof DvcException) {
      throw new DvcException(`Did you mean \`git checkout ${targets[0]}\`?`, { cause: e });
    }
    throw e;
  }
  const plans: { plan: CheckoutPlan; abs: string }[] = [];
  const failed: string[] = [];
  const unsaved: string[] = [];
  for (const info of infos) {
    for (const out of info.stage.outs) {
      if (info.outs && !info.outs.has(out)) continue;
      if (!out.useCache || !out.hash.value) continue;
      const plan = await planCheckout(repo, out, { relink: opts.relink, inside: info.inside });
      if (plan.missingCache) {
        failed.push(out.absPath);
        continue;
      }
      unsaved.push(...plan.unsaved);
      if (plan.kind) plans.push({ plan, abs: out.absPath });
    }
  }
  if (!opts.force && unsaved.length) {
    throw new DvcException(
      "Can't remove the following unsaved files without confirmation. Use `--force` to force.\n" +
        unsaved.join("\n"),
    );
  }
  const result: CheckoutResult = { modified: [], added: [], deleted: [], stats: { modified: 0, added: 0, deleted: 0 } };
  for (const { plan, abs } of plans) {
    const stats = await plan.apply();
    result.stats.added += stats.added;
    result.stats.modified += stats.modified;
    result.stats.deleted += stats.deleted;
    const list = plan.kind === "added" ? result.added : result.modified;
    list.push(displayPath(abs));
  }
  for (const l of [result.modified, result.added, result.deleted]) {
    l.sort((a, b) => {
      const ad = a.endsWith(path.sep) ? 0 : 1;
      const bd = b.endsWith(path.sep) ? 0 : 1;
      return ad - bd || cmpCodepoint(a, b);
    });
  }
  if (failed.length && !opts.allowMissing) {
    throw new CheckoutError(
      failed.map((f) => path.relative(process.cwd(), f)),
      result,
    );
  }
  return result;
}
