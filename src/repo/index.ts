// Collecting the repo's stages: walk the workspace top-down for `.dvc` files and `dvc.yaml`,
// skipping .dvcignored and git-ignored paths and the directories that are outputs
// (dvc/repo/index.py: collect_files).
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { cmpCodepoint } from "../util/py.js";
import { DvcFileStage, loadDvcFile } from "../stage/dvcfile.js";
import type { Stage } from "../stage/stage.js";
import type { Repo } from "./repo.js";

export function isDvcFilename(name: string): boolean {
  return name === "dvc.yaml" || (name.endsWith(".dvc") && name.length > 4);
}

/** Absolute paths of every DVC file in walk order. Calls `onFile` as each is found so the
 * caller can add that file's outputs to `outs` before the walk descends further. */
export async function walkDvcFiles(
  repo: Repo,
  onFile: (file: string) => Promise<string[]>,
): Promise<void> {
  const ignore = await repo.dvcignore();
  const git = repo.git;
  const outs = new Set<string>();
  // `rel` is the root-relative POSIX path of `dir` ("" for the root), built as we descend: no
  // path.relative per entry (a 20k-file data directory is walked when it is not tracked yet).
  const visit = async (dir: string, rel: string): Promise<void> => {
    let ents;
    try {
      // Synchronous: readdirSync costs a fraction of a thread-pool round trip per directory.
      ents = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    ents.sort((a, b) => cmpCodepoint(a.name, b.name));
    const dirs: [string, string][] = [];
    for (const e of ents) {
      const isDirEnt = e.isDirectory();
      // Only directories and DVC files matter: other files need no ignore check.
      if (!isDirEnt && !isDvcFilename(e.name)) continue;
      const abs = path.join(dir, e.name);
      const entRel = rel ? `${rel}/${e.name}` : e.name;
      if (ignore.isIgnored(entRel, isDirEnt)) continue;
      if (isDirEnt) {
        dirs.push([abs, entRel]);
        continue;
      }
      if (git && git.isIgnored(abs, false)) continue;
      for (const o of await onFile(abs)) outs.add(o);
    }
    for (const [d, dRel] of dirs) {
      if (outs.has(d)) continue;
      if (git && git.isIgnored(d, true)) continue;
      await visit(d, dRel);
    }
  };
  await visit(repo.root, "");
}

/** Every `.dvc` stage of the repo, in collection order. */
export async function collectDvcFileStages(repo: Repo): Promise<DvcFileStage[]> {
  return (await collectStages(repo)).filter((s): s is DvcFileStage => s instanceof DvcFileStage);
}

/** Every stage of the repo (dvc.yaml stages and `.dvc` files), in collection order. */
export async function collectStages(repo: Repo): Promise<Stage[]> {
  const cached = stageCache.get(repo);
  if (cached) return cached;
  const stages: Stage[] = [];
  await walkDvcFiles(repo, async (file) => {
    if (file.endsWith(".dvc")) {
      const st = await loadDvcFile(repo.root, file);
      stages.push(st);
      return st.outs.map((o) => o.absPath);
    }
    const pf = await repo.pipelineFile(file);
    stages.push(...pf.stages);
    return pf.stages.flatMap((s) => s.outs.map((o) => o.absPath));
  });
  stageCache.set(repo, stages);
  return stages;
}

/** Forget collected stages (after a command rewrote DVC files). */
export function invalidateStages(repo: Repo): void {
  stageCache.delete(repo);
}

const stageCache = new WeakMap<Repo, Stage[]>();
