// Target resolution (dvc/utils/__init__.py parse_target, dvc/repo/stage.py collect_granular):
// DVC files, `file:stage`, stage and group names in ./dvc.yaml, output paths, and paths inside a
// tracked directory.
import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { DvcException } from "../errors.js";
import { isSubpath } from "../util/fs.js";
import type { Output } from "../stage/output.js";
import { PipelineStage } from "../stage/pipeline-stage.js";
import type { Stage } from "../stage/stage.js";
import { buildGraph } from "../pipeline/graph.js";
import { collectStages } from "./index.js";
import type { Repo } from "./repo.js";

export class NoOutputOrStageError extends DvcException {
  constructor(target: string, file = "dvc.yaml", cause?: unknown) {
    super(`'${target}' does not exist as an output or a stage name in '${file}'`, { cause });
  }
}

export class StageNotFoundError extends DvcException {
  constructor(
    readonly target: string,
    readonly file: string,
  ) {
    super(`Stage '${target}' not found inside '${file}' file`);
  }
}

export interface StageInfo {
  stage: Stage;
  /** Only these outputs of the stage (a target named an output), or all. */
  outs?: Set<Output>;
  /** A path inside a tracked directory output. */
  inside?: string;
}

export function isValidDvcFilename(p: string): boolean {
  const base = path.basename(p);
  return base === "dvc.yaml" || base.endsWith(".dvc");
}

/** `parse_target`: (file, name); file null means ./dvc.yaml. */
export function parseTarget(target: string): { file: string | null; name: string | null } {
  let rest = target;
  let at = "";
  const i = target.indexOf("@");
  if (i >= 0) {
    rest = target.slice(0, i);
    at = target.slice(i);
  }
  const m = /^(.*?)(?::([^\\/:]+))?$/.exec(rest);
  let file = m?.[1] ?? rest;
  let name = m?.[2] ?? null;
  if (name === null && !isValidDvcFilename(file)) {
    return { file: null, name: file + at };
  }
  if (name !== null) name += at;
  else if (at) file += at;
  return { file: file === "" ? null : file, name };
}

function fileStages(all: Stage[], abs: string): Stage[] {
  return all.filter((s) => s.file === abs);
}

/** Stages a target names (file, file:name, name or group name); null when it names none. */
export function stagesForTarget(all: Stage[], target: string): { stages: Stage[]; file: string } | null {
  const { file, name } = parseTarget(target);
  const rel = file ?? "dvc.yaml";
  const abs = path.resolve(rel);
  if (file && name === null) {
    if (path.basename(abs) === "dvc.lock") throw new DvcException(`Did you mean: \`${file.replace(/dvc\.lock$/, "dvc.yaml")}\`?`);
    if (!existsSync(abs)) throw new DvcException(`'${abs}' does not exist`);
    return { stages: fileStages(all, abs), file: rel };
  }
  if (path.basename(abs) === "dvc.lock") {
    throw new DvcException(`Did you mean: \`${rel.replace(/dvc\.lock$/, "dvc.yaml")}:${name}\`?`);
  }
  if (!existsSync(abs)) {
    if (file) throw new DvcException(`'${abs}' does not exist`);
    return null;
  }
  const inFile = fileStages(all, abs);
  if (abs.endsWith(".dvc")) return { stages: inFile, file: rel };
  const exact = inFile.filter((s) => s instanceof PipelineStage && s.name === name);
  if (exact.length) return { stages: exact, file: rel };
  const group = inFile.filter((s) => s instanceof PipelineStage && s.group === name);
  if (group.length) return { stages: group, file: rel };
  if (file) throw new StageNotFoundError(name ?? "", rel);
  return null;
}

/**
 * The stages (and outputs) targets name; all stages without targets. `withDeps`: with targets,
 * also every stage upstream of them, dependencies first (a target keeps its output filter).
 */
export async function collectGranular(repo: Repo, targets: string[], opts: { recursive?: boolean; withDeps?: boolean } = {}): Promise<StageInfo[]> {
  const infos = await collectTargets(repo, targets, opts);
  if (!opts.withDeps || targets.length === 0) return infos;
  const g = buildGraph(await collectStages(repo));
  const ordered: Stage[] = [];
  const seen = new Set<Stage>();
  const visit = (s: Stage): void => {
    if (seen.has(s)) return;
    seen.add(s);
    for (const u of g.upstream.get(s) ?? []) visit(u);
    ordered.push(s);
  };
  for (const i of infos) visit(i.stage);
  const filters = new Map(infos.map((i) => [i.stage, i] as const));
  return ordered.map((s) => filters.get(s) ?? { stage: s });
}

async function collectTargets(repo: Repo, targets: string[], opts: { recursive?: boolean }): Promise<StageInfo[]> {
  const all = await collectStages(repo);
  if (targets.length === 0) return all.map((stage) => ({ stage }));
  const result: StageInfo[] = [];
  for (const target of targets) {
    const abs = path.resolve(target);
    if (opts.recursive && existsSync(abs) && statSync(abs).isDirectory()) {
      for (const stage of all.filter((s) => isSubpath(s.file, abs))) result.push({ stage });
      continue;
    }
    const named = isValidDvcFilename(target) || target.includes(":") ? stagesForTarget(all, target) : null;
    if (named) {
      for (const stage of named.stages) result.push({ stage });
      continue;
    }
    // a stage or group name in ./dvc.yaml comes before an output path
    let byName: { stages: Stage[] } | null = null;
    let cause: unknown;
    try {
      byName = stagesForTarget(all, target);
    } catch (e) {
      cause = e;
    }
    if (byName && byName.stages.length) {
      for (const stage of byName.stages) result.push({ stage });
      continue;
    }
    // an output path, or a path inside a tracked directory
    let found = false;
    for (const st of all) {
      for (const o of st.outs) {
        if (o.absPath === abs) {
          result.push({ stage: st, outs: new Set([o]) });
          found = true;
        } else if (isSubpath(abs, o.absPath)) {
          result.push({ stage: st, outs: new Set([o]), inside: abs });
          found = true;
        }
      }
    }
    if (found) continue;
    if (!cause) {
      cause = existsSync(path.resolve("dvc.yaml"))
        ? new StageNotFoundError(target, "dvc.yaml")
        : new DvcException("'dvc.yaml' does not exist");
    }
    throw new NoOutputOrStageError(target, "dvc.yaml", cause);
  }
  return result;
}
