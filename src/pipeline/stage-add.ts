// `dvc stage add` (dvc/repo/stage.py add/create, dvc/stage/serialize.py to_pipeline_file):
// validate the new stage against the repo's graph and write it into ./dvc.yaml, merged into the
// existing document so comments and kept fields (desc, meta) survive. The stage is not run.
import { existsSync, promises as fsp, statSync } from "node:fs";
import * as path from "node:path";
import { DvcException } from "../errors.js";
import { isSubpath, writeFileAtomic } from "../util/fs.js";
import { cmpCodepoint, type PyValue } from "../util/py.js";
import { loadYaml } from "../yaml/load.js";
import { dumpYaml } from "../yaml/emit.js";
import { applyDiff } from "../yaml/merge.js";
import { YMap, fromPy } from "../yaml/model.js";
import { Output, type OutFlags } from "../stage/output.js";
import { ParamsDep, PipelineStage } from "../stage/pipeline-stage.js";
import { buildGraph } from "./graph.js";
import { collectStages, invalidateStages } from "../repo/index.js";
import type { Repo } from "../repo/repo.js";
import type { ScmContext } from "../repo/scm-context.js";

export interface StageAddOptions {
  name: string;
  cmd: string;
  force?: boolean;
  deps?: string[];
  params?: string[];
  outs?: string[];
  outsNoCache?: string[];
  outsPersist?: string[];
  outsPersistNoCache?: string[];
  metrics?: string[];
  metricsNoCache?: string[];
  plots?: string[];
  plotsNoCache?: string[];
  wdir?: string;
  alwaysChanged?: boolean;
  desc?: string;
}

/** dvc/commands/stage.py parse_cmd: join command words, quoting those with spaces. */
export function parseCmd(words: string[]): string {
  if (words.length < 2) return words.join(" ");
  return words.map((w) => (!w ? '""' : w.includes(" ") && !w.includes('"') ? `"${w}"` : w)).join(" ");
}

/** dvc/utils/cli_parse.py parse_params: `[file:]k1,k2` grouped by file, in first-seen order. */
export function parseParams(specs: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const spec of specs) {
    const i = spec.lastIndexOf(":");
    const file = i < 0 ? "" : spec.slice(0, i);
    const keys = (i < 0 ? spec : spec.slice(i + 1)).split(",").filter(Boolean);
    const f = file || "params.yaml";
    if (!out.has(f)) out.set(f, []);
    out.get(f)!.push(...keys);
  }
  return out;
}

const PUNCT = /[!"#$%&'()*+,./:;<=>?@[\\\]^`{|}~]/;

/** The order DVC fills a new stage's outputs (dvc/stage/utils.py fill_stage_outputs). */
function outputKinds(o: StageAddOptions): { list: string[]; flags: OutFlags; kind: "outs" | "metrics" | "plots" }[] {
  return [
    { list: o.outsPersist ?? [], flags: { persist: true }, kind: "outs" },
    { list: o.outsPersistNoCache ?? [], flags: { persist: true, cache: false }, kind: "outs" },
    { list: o.metricsNoCache ?? [], flags: { cache: false, metric: true }, kind: "metrics" },
    { list: o.metrics ?? [], flags: { metric: true }, kind: "metrics" },
    { list: o.plotsNoCache ?? [], flags: { cache: false, plot: true }, kind: "plots" },
    { list: o.plots ?? [], flags: { plot: true }, kind: "plots" },
    { list: o.outsNoCache ?? [], flags: { cache: false }, kind: "outs" },
    { list: o.outs ?? [], flags: {}, kind: "outs" },
  ];
}

function outItem(o: Output): PyValue {
  const f = new Map<string, PyValue>();
  if (o.flags.desc !== undefined) f.set("desc", o.flags.desc);
  if (o.flags.type !== undefined) f.set("type", o.flags.type);
  if (o.flags.labels !== undefined) f.set("labels", o.flags.labels);
  if (o.flags.meta !== undefined) f.set("meta", o.flags.meta as PyValue);
  if (o.flags.cache === false) f.set("cache", false);
  if (o.flags.persist) f.set("persist", true);
  if (o.flags.remote !== undefined) f.set("remote", o.flags.remote);
  if (o.flags.push === false) f.set("push", false);
  return f.size ? new Map([[o.defPath, f]]) : o.defPath;
}

/** The stage as dvc.yaml stores it (§6.4 key order). */
export function pipelineEntry(st: PipelineStage): Map<string, PyValue> {
  const m = new Map<string, PyValue>();
  const byPath = (a: Output, b: Output) => cmpCodepoint(a.defPath, b.defPath);
  if (st.desc) m.set("desc", st.desc);
  m.set("cmd", st.cmd);
  const wdir = path.relative(path.dirname(st.file), st.wdir).split(path.sep).join("/");
  if (wdir && wdir !== ".") m.set("wdir", wdir);
  if (st.deps.length) m.set("deps", st.deps.slice().sort(byPath).map((d) => d.defPath));
  if (st.params.length) {
    const params: PyValue[] = [];
    const def = st.params.find((p) => p.defPath === "params.yaml");
    if (def && def.keys) params.push(...def.keys.slice().sort(cmpCodepoint));
    const others = st.params.filter((p) => p !== def || def.keys === null).sort((a, b) => cmpCodepoint(a.defPath, b.defPath));
    for (const p of others) params.push(new Map([[p.defPath, p.keys === null ? null : p.keys.slice().sort(cmpCodepoint)]]));
    m.set("params", params);
  }
  for (const [key, pick] of [
    ["outs", (o: Output) => !o.flags.metric && !o.flags.plot],
    ["metrics", (o: Output) => !!o.flags.metric],
    ["plots", (o: Output) => !!o.flags.plot],
  ] as const) {
    const list = st.outs.filter(pick).sort(byPath);
    if (list.length) m.set(key, list.map(outItem));
  }
  if (st.frozen) m.set("frozen", true);
  if (st.alwaysChanged) m.set("always_changed", true);
  if (st.meta !== undefined && st.meta !== null) m.set("meta", st.meta);
  return m;
}

export async function stageAdd(repo: Repo, o: StageAddOptions, scm: ScmContext): Promise<PipelineStage> {
  if (!o.cmd) throw new DvcException("command is not specified");
  if (!o.name || PUNCT.test(o.name)) throw new DvcException("Stage name cannot contain punctuation characters.");
  const file = path.resolve("dvc.yaml");
  const wdir = path.resolve(o.wdir ?? ".");
  if (o.wdir !== undefined) {
    const msg = `stage working dir '${o.wdir}'`;
    if (!existsSync(wdir)) throw new DvcException(`${msg} does not exist`);
    if (!statSync(wdir).isDirectory()) throw new DvcException(`${msg} is not directory`);
    if (!isSubpath(wdir, repo.root)) throw new DvcException(`${msg} is outside of DVC repo`);
  }
  const stage = new PipelineStage(o.name, file, wdir, o.cmd);
  stage.deps = (o.deps ?? []).map((d) => new Output(d, path.resolve(wdir, d)));
  stage.params = [...parseParams(o.params ?? [])].map(([f, keys]) => new ParamsDep(f, path.resolve(wdir, f), keys.length ? keys : null));
  for (const k of outputKinds(o)) {
    for (const p of k.list) {
      const abs = path.resolve(wdir, p);
      if (k.flags.cache !== false && !isSubpath(abs, repo.root)) {
        throw new DvcException(
          `Cached output(s) outside of DVC project: ${p}. See <https://dvc.org/doc/user-guide/pipelines/external-dependencies-and-outputs> for more info.`,
        );
      }
      stage.outs.push(new Output(p, abs, { flags: { ...k.flags } }));
    }
  }
  stage.alwaysChanged = !!o.alwaysChanged;
  if (o.desc) stage.desc = o.desc;
  const outPaths = new Set(stage.outs.map((x) => x.absPath));
  for (const d of stage.deps) {
    if (outPaths.has(d.absPath)) throw new DvcException(`'${d.absPath}' is specified as an output and as a dependency.`);
  }
  const counts = new Map<string, number>();
  for (const x of [...stage.deps, ...stage.outs]) counts.set(x.absPath, (counts.get(x.absPath) ?? 0) + 1);
  for (const [p, n] of counts) if (n > 1) throw new DvcException(`file '${p}' is specified more than once.`);

  const all = await collectStages(repo);
  const existing = all.find((s) => s instanceof PipelineStage && s.file === file && s.name === o.name) as PipelineStage | undefined;
  if (existing && !o.force) throw new DvcException(`Stage '${o.name}' already exists in 'dvc.yaml'. Use '--force' to overwrite.`);
  if (existing?.group) throw new DvcException(`cannot dump a parametrized stage: '${o.name}'`);
  buildGraph([...all.filter((s) => s !== existing), stage]);

  // restore_fields: an overwritten stage keeps its desc, meta and output annotations
  if (existing) {
    if (!stage.desc && existing.desc) stage.desc = existing.desc;
    if (existing.meta !== undefined) stage.meta = existing.meta;
    for (const out of stage.outs) {
      const old = existing.outs.find((x) => x.defPath === out.defPath);
      if (!old) continue;
      for (const k of ["desc", "type", "labels", "meta", "remote", "push"] as const) {
        if (old.flags[k] !== undefined && out.flags[k] === undefined) (out.flags as Record<string, unknown>)[k] = old.flags[k];
      }
    }
  }
  let doc: YMap;
  try {
    const loaded = loadYaml(await fsp.readFile(file, "utf8"));
    doc = loaded instanceof YMap ? loaded : new YMap();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    doc = new YMap();
  }
  await writeStageEntry(repo, file, doc, o.name, stage);
  scm.track(file);
  for (const out of stage.outs) if (out.useCache) await scm.ignore(out.absPath);
  return stage;
}

/**
 * Put `stage` under `stages: name:` of the loaded dvc.yaml `doc` (merged into an existing entry
 * so its comments survive), write the file and forget what was loaded from it.
 */
async function writeStageEntry(repo: Repo, file: string, doc: YMap, name: string, stage: PipelineStage): Promise<void> {
  let stages = doc.get("stages");
  if (!(stages instanceof YMap)) {
    stages = new YMap();
    doc.set("stages", stages);
  }
  const entry = fromPy(pipelineEntry(stage));
  const old = stages.get(name);
  stages.set(name, old instanceof YMap ? applyDiff(entry, old) : entry);
  await writeFileAtomic(file, dumpYaml(doc));
  repo.forgetPipelineFile(file);
  invalidateStages(repo);
}

/**
 * Rewrite one dvc.yaml stage from its model (freeze/unfreeze; dvc/dvcfile.py
 * `_dump_pipeline_file`), merged into the document so comments survive.
 */
export async function dumpPipelineStage(repo: Repo, stage: PipelineStage): Promise<void> {
  if (stage.group) throw new DvcException(`cannot dump a parametrized stage: '${stage.name}'`);
  const text = await fsp.readFile(stage.file, "utf8");
  const loaded = loadYaml(text);
  const doc = loaded instanceof YMap ? loaded : new YMap();
  await writeStageEntry(repo, stage.file, doc, stage.name, stage);
}
