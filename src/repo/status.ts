// Local `dvc status` per stage (dvc/stage/__init__.py status, dvc/output.py, dvc/dependency/
// param.py): changed deps (files and params), changed outs, always changed, changed command.
import * as path from "node:path";
import { DvcFileStage } from "../stage/dvcfile.js";
import type { Output } from "../stage/output.js";
import { PipelineStage, type ParamsDep } from "../stage/pipeline-stage.js";
import type { Stage } from "../stage/stage.js";
import { pyValueEqual } from "../yaml/model.js";
import type { PyValue } from "../util/py.js";
import type { StatusValue } from "./status-format.js";
import type { Repo } from "./repo.js";
import { computeOutput, inCache } from "./workspace.js";

/** dvc/output.py `workspace_status`: the workspace against the recorded hash. */
export async function workspaceStatus(repo: Repo, out: Output): Promise<string | null> {
  const c = await computeOutput(repo, out.absPath, out.hash.name, { expectFiles: out.meta.nfiles });
  if (!c) return "deleted";
  if (c.hash.value !== out.hash.value) return "modified";
  return null;
}

/** dvc/output.py `status`: "not in cache" first, then the workspace status. */
export async function outputStatus(repo: Repo, out: Output): Promise<string | null> {
  if (out.hash.value && out.useCache && !(await inCache(repo, out.hash))) return "not in cache";
  return workspaceStatus(repo, out);
}

/** Current values of a params dependency: the tracked keys (dotted), or the whole file. */
async function params(): Promise<typeof import("../pipeline/params.js")> {
  return import("../pipeline/params.js");
}

export async function currentParams(dep: ParamsDep): Promise<Map<string, PyValue> | null> {
  const { readParamsFile, getDotted } = await params();
  let data: Map<string, PyValue>;
  try {
    data = await readParamsFile(dep.absPath);
  } catch {
    return null;
  }
  if (dep.keys === null) return data;
  const out = new Map<string, PyValue>();
  for (const k of dep.keys) {
    const v = getDotted(data, k);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}

/** dvc/dependency/param.py `workspace_status`. */
export async function paramsStatus(dep: ParamsDep): Promise<StatusValue | null> {
  const { readParamsFile, getDotted } = await params();
  let data: Map<string, PyValue>;
  try {
    data = await readParamsFile(dep.absPath);
  } catch {
    return "deleted";
  }
  if (!dep.lockValues) return "new";
  const lock = dep.lockValues;
  const keys = dep.keys ?? [...new Set([...data.keys(), ...lock.keys()])];
  const st = new Map<string, StatusValue>();
  for (const k of keys) {
    const cur = dep.keys === null ? data.get(k) : getDotted(data, k);
    const has = dep.keys === null ? data.has(k) : cur !== undefined;
    if (!has) {
      if (lock.has(k) || dep.keys !== null) st.set(k, "deleted");
    } else if (!lock.has(k)) st.set(k, "new");
    else if (!pyValueEqual(cur as PyValue, lock.get(k) as PyValue)) st.set(k, "modified");
  }
  return st.size ? st : null;
}

function rel(abs: string): string {
  return path.relative(process.cwd(), abs);
}

/** The status entries of one stage (empty when clean). */
export async function stageStatus(repo: Repo, stage: Stage, filter?: Set<Output>): Promise<StatusValue[]> {
  const entries: StatusValue[] = [];
  if (stage instanceof PipelineStage && !stage.frozen) {
    const deps = new Map<string, StatusValue>();
    for (const d of stage.deps) {
      const st = await workspaceStatus(repo, d);
      if (st) deps.set(rel(d.absPath), st);
    }
    for (const p of stage.params) {
      const st = await paramsStatus(p);
      if (st) deps.set(rel(p.absPath), st);
    }
    if (deps.size) entries.push(new Map([["changed deps", deps]]));
  } else if (stage instanceof PipelineStage && stage.frozen) {
    repo.onWarning(`stage: '${stage.addressing}' is frozen. Its dependencies are not going to be shown in the status output.`);
  }
  const outs = new Map<string, StatusValue>();
  for (const o of stage.outs) {
    if (filter && !filter.has(o)) continue;
    const st = await outputStatus(repo, o);
    if (st) outs.set(rel(o.absPath), st);
  }
  if (outs.size) entries.push(new Map([["changed outs", outs]]));
  if (stage instanceof PipelineStage) {
    if (stage.isCallback || stage.alwaysChanged) entries.push("always changed");
    if (stage.cmdChanged) entries.push("changed command");
  } else if (stage instanceof DvcFileStage) {
    /* plain `dvc add` files carry no stage md5 ("changed checksum" is for imports) */
  }
  return entries;
}
