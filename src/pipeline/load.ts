// Loading a dvc.yaml into PipelineStages (dvc/stage/loader.py): parse with positions, validate
// the raw document, resolve templating/foreach/matrix, build deps/params/outs, and attach what
// dvc.lock recorded for each stage.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { DvcException, ReportError } from "../errors.js";
import { isSubpath } from "../util/fs.js";
import type { PyValue } from "../util/py.js";
import { checkOnce, loadYaml, YamlParseError, formatYamlError } from "../yaml/load.js";
import { YMap, type YValue } from "../yaml/model.js";
import { Output, type HashInfo, type Meta, type OutFlags } from "../stage/output.js";
import { ParamsDep, PipelineStage } from "../stage/pipeline-stage.js";
import { validatePipeline } from "./schema.js";
import { resolvePipeline } from "./resolve.js";
import { readLockfile, type Lockfile } from "./lockfile.js";

export class PipelineFileError extends DvcException {}

export interface PipelineFile {
  file: string;
  stages: PipelineStage[];
  /** The raw document (for comment-preserving edits by stage add / freeze). */
  raw: YMap | null;
  text: string;
  lock: Lockfile;
}

export interface LoadOptions {
  parsing?: { list?: "nargs" | "append"; bool?: "store_true" | "boolean_optional" };
  warn?: (msg: string) => void;
}

function asMap(v: PyValue | undefined): Map<string, PyValue> | null {
  return v instanceof Map ? v : null;
}

function entryHash(entry: Map<string, PyValue> | undefined): { hash?: HashInfo; meta?: Meta } {
  if (!entry) return {};
  let md5 = entry.get("md5");
  if (typeof md5 === "bigint") md5 = md5.toString();
  const meta: Meta = {};
  const size = entry.get("size");
  if (typeof size === "bigint") meta.size = Number(size);
  const nfiles = entry.get("nfiles");
  if (typeof nfiles === "bigint") meta.nfiles = Number(nfiles);
  if (entry.get("isexec") === true) meta.isexec = true;
  if (typeof md5 !== "string" || !md5) return { meta };
  return { hash: { name: entry.get("hash") === "md5" ? "md5" : "md5-dos2unix", value: md5.toLowerCase() }, meta };
}

function lockItems(entry: Map<string, PyValue> | undefined, key: string): Map<string, Map<string, PyValue>> {
  const out = new Map<string, Map<string, PyValue>>();
  const list = entry?.get(key);
  if (Array.isArray(list)) {
    for (const it of list) {
      const m = asMap(it);
      const p = m?.get("path");
      if (m && typeof p === "string") out.set(p, m);
    }
  }
  return out;
}

function normaliseParams(list: PyValue | undefined, stage: PipelineStage, wdir: string): ParamsDep[] {
  if (!Array.isArray(list)) return [];
  const byFile = new Map<string, ParamsDep>();
  const get = (file: string): ParamsDep => {
    let d = byFile.get(file);
    if (!d) {
      d = new ParamsDep(file, path.resolve(wdir, file), []);
      byFile.set(file, d);
    }
    return d;
  };
  for (const item of list) {
    if (typeof item === "string") {
      const d = get("params.yaml");
      if (d.keys && !d.keys.includes(item)) d.keys.push(item);
    } else if (item instanceof Map) {
      for (const [file, keys] of item) {
        const d = get(file);
        if (keys === null || (Array.isArray(keys) && keys.length === 0)) d.keys = null;
        else if (Array.isArray(keys)) {
          if (d.keys) for (const k of keys) if (typeof k === "string" && !d.keys.includes(k)) d.keys.push(k);
        } else {
          const t = typeof keys === "string" ? "str" : typeof keys === "bigint" ? "int" : typeof keys;
          throw new PipelineFileError(`Expected list of params for custom params file '${file}', got '${t}'.`);
        }
      }
    }
  }
  void stage;
  return [...byFile.values()];
}

function outFlags(v: PyValue | undefined, kind: "outs" | "metrics" | "plots"): OutFlags {
  const f: OutFlags = {};
  const m = asMap(v);
  if (m) {
    for (const k of ["cache", "persist", "push"] as const) {
      const x = m.get(k);
      if (typeof x === "boolean") f[k] = x;
    }
    for (const k of ["desc", "type", "remote"] as const) {
      const x = m.get(k);
      if (typeof x === "string") f[k] = x;
    }
    if (m.has("labels")) f.labels = m.get("labels") as string[];
    if (m.has("meta")) f.meta = m.get("meta");
  }
  if (kind === "metrics") f.metric = true;
  if (kind === "plots") {
    const props = new Map<string, PyValue>();
    if (m) for (const [k, x] of m) if (["template", "x", "y", "x_label", "y_label", "title", "header"].includes(k)) props.set(k, x);
    f.plot = props.size ? (Object.fromEntries(props) as Record<string, unknown>) : true;
  }
  return f;
}

function buildStage(
  repoRoot: string,
  file: string,
  name: string,
  def: Map<string, PyValue>,
  lock: Lockfile,
): PipelineStage {
  const dir = path.dirname(file);
  const w = def.get("wdir");
  const wdir = path.resolve(dir, typeof w === "string" ? w : ".");
  const cmdv = def.get("cmd");
  const cmd: string | string[] = Array.isArray(cmdv) ? cmdv.map((c) => String(c)) : String(cmdv ?? "");
  const stage = new PipelineStage(name, file, wdir, cmd);
  const entry = lock.stages.get(name);
  if (entry) {
    stage.hasLock = true;
    const lc = entry.get("cmd");
    stage.lockCmd = Array.isArray(lc) ? lc.map((c) => String(c)) : typeof lc === "string" ? lc : undefined;
  }
  const lockDeps = lockItems(entry, "deps");
  const lockOuts = lockItems(entry, "outs");
  const deps = def.get("deps");
  if (Array.isArray(deps)) {
    for (const d of deps) {
      if (typeof d !== "string") continue;
      const h = entryHash(lockDeps.get(d));
      stage.deps.push(new Output(d, path.resolve(wdir, d), { hash: h.hash, meta: h.meta }));
    }
  }
  stage.params = normaliseParams(def.get("params"), stage, wdir);
  const lockParams = asMap(entry?.get("params"));
  for (const p of stage.params) {
    const v = asMap(lockParams?.get(p.defPath));
    if (v) p.lockValues = v;
  }
  const seen = new Map<string, Output>();
  for (const kind of ["outs", "metrics", "plots"] as const) {
    const list = def.get(kind);
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      let p: string;
      let flagsV: PyValue | undefined;
      if (typeof item === "string") p = item;
      else if (item instanceof Map && item.size >= 1) {
        const [k, v] = [...item.entries()][0];
        p = k;
        flagsV = v;
      } else continue;
      const abs = path.resolve(wdir, p);
      const flags = outFlags(flagsV, kind);
      if (flags.cache !== false && !isSubpath(abs, repoRoot)) {
        throw new PipelineFileError(
          `Cached output(s) outside of DVC project: ${p}. See <https://dvc.org/doc/user-guide/pipelines/external-dependencies-and-outputs> for more info.`,
        );
      }
      const prev = seen.get(p);
      if (prev) {
        Object.assign(prev.flags, flags);
        continue;
      }
      const h = entryHash(lockOuts.get(p));
      const o = new Output(p, abs, { hash: h.hash, meta: h.meta, flags });
      seen.set(p, o);
      stage.outs.push(o);
    }
  }
  stage.frozen = def.get("frozen") === true;
  stage.alwaysChanged = def.get("always_changed") === true;
  const desc = def.get("desc");
  if (typeof desc === "string") stage.desc = desc;
  if (def.has("meta")) stage.meta = def.get("meta");
  return stage;
}

/** Relative path as DVC prints it in "is invalid" / "validation failed" reports. */
export function reportPath(file: string): string {
  return path.relative(process.cwd(), file);
}

export async function loadPipelineFile(repoRoot: string, file: string, opts: LoadOptions = {}): Promise<PipelineFile> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new PipelineFileError(`'${reportPath(file)}' does not exist`);
    throw e;
  }
  const rel = reportPath(file);
  let doc: YValue;
  try {
    doc = loadYaml(text);
  } catch (e) {
    if (e instanceof YamlParseError) throw new ReportError(formatYamlError(e, rel, text).replace(/\n$/, ""));
    throw e;
  }
  if (doc === null) doc = new YMap();
  const parsed = doc;
  checkOnce(text, "dvc-yaml", () => validatePipeline(parsed, rel, text));
  const lock = await readLockfile(file.replace(/\.yaml$/, ".lock"));
  const resolved = resolvePipeline(doc as YMap, { file, relpath: rel, parsing: opts.parsing, warn: opts.warn });
  const stages = resolved.stages.map((r) => {
    const st = buildStage(repoRoot, file, r.name, r.def, lock);
    if (r.group) st.group = r.group;
    return st;
  });
  return { file, stages, raw: doc instanceof YMap ? doc : null, text, lock };
}
