// `dvc status` over the repo or targets: stage addressing -> entries, only changed stages.
import { collectGranular } from "./collect.js";
import type { Repo } from "./repo.js";
import { stageStatus } from "./status.js";
import type { StatusValue } from "./status-format.js";

export interface RepoStatus {
  result: Map<string, StatusValue>;
  /** How many stages the repo has (DVC says so when it has none). */
  stageCount: number;
}

export async function repoStatus(
  repo: Repo,
  targets: string[],
  opts: { recursive?: boolean; withDeps?: boolean } = {},
): Promise<RepoStatus> {
  const infos = await collectGranular(repo, targets, { recursive: opts.recursive, withDeps: opts.withDeps });
  const result = new Map<string, StatusValue>();
  for (const info of infos) {
    const entries = await stageStatus(repo, info.stage, info.outs);
    if (entries.length) result.set(info.stage.addressing, entries);
  }
  // A resolved target implies the repo has stages.
  const stageCount = targets.length ? Math.max(1, infos.length) : infos.length;
  return { result, stageCount };
}
