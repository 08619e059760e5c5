// `.dvc` files (single-stage files written by `dvc add`): load with validation, and dump with
// DVC's field order, merged into the existing document so comments, `desc` and `meta` survive.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { DvcException, ReportError } from "../errors.js";
import { validateDvcFile } from "../pipeline/schema.js";
import { isSubpath, writeFileAtomic } from "../util/fs.js";
import type { PyValue } from "../util/py.js";
import { loadYaml, YamlParseError, formatYamlError } from "../yaml/load.js";
import { dumpYaml } from "../yaml/emit.js";
import { applyDiff } from "../yaml/merge.js";
import { YMap, fromPy, toPy, type YValue } from "../yaml/model.js";
import { Output, type HashInfo, type Meta, type OutFlags } from "./output.js";

export class DvcFileError extends DvcException {}

/** A stage stored in a `.dvc` file. */
export class DvcFileStage {
  outs: Output[] = [];
  deps: Output[] = [];
  /** Keys DVC keeps but we do not interpret (desc, meta, md5, cmd, frozen …), in file order. */
  extra = new Map<string, PyValue>();
  /** The document as loaded, for comment-preserving rewrites. */
  raw: YValue = null;

  constructor(
    readonly repoRoot: string,
    /** Absolute path of the .dvc file. */
    readonly file: string,
  ) {}

  get wdir(): string {
    const w = this.extra.get("wdir");
    return path.resolve(path.dirname(this.file), typeof w === "string" ? w : ".");
  }

  /** DVC's addressing: the .dvc file relative to the current directory. */
  get addressing(): string {
    return path.relative(process.cwd(), this.file);
  }

  get frozen(): boolean {
    return this.extra.get("frozen") === true;
  }
}

const TOP_KEYS = new Set(["md5", "cmd", "wdir", "deps", "outs", "frozen", "always_changed", "desc", "meta", "hash"]);
const OUT_KEYS = new Set([
  "path", "md5", "etag", "checksum", "version_id", "size", "nfiles", "isexec", "hash", "files",
  "cache", "metric", "plot", "persist", "remote", "push", "desc", "type", "labels", "meta", "fs_config",
]);

function invalid(file: string, why: string): DvcFileError {
  return new DvcFileError(`'${path.relative(process.cwd(), file)}' validation failed: ${why}`);
}

function asMap(v: PyValue): Map<string, PyValue> | null {
  return v instanceof Map ? v : null;
}

function num(v: PyValue | undefined): number | undefined {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return v;
  return undefined;
}

/** Parse one out/dep entry of a `.dvc` or lock file. */
export function parseOutEntry(
  entry: PyValue,
  wdir: string,
  repoRoot: string,
  file: string,
  where: string,
  opts: { allowOutside?: boolean } = {},
): Output {
  const m = asMap(entry);
  if (!m) throw invalid(file, `expected a dictionary for ${where}`);
  for (const k of m.keys()) {
    if (!OUT_KEYS.has(k)) throw invalid(file, `extra keys not allowed @ data['${where}']['${k}']`);
  }
  const p = m.get("path");
  if (typeof p !== "string" || p === "") throw invalid(file, `required key not provided @ data['${where}']['path']`);
  if (p.includes("\\") || p.includes("\0")) throw invalid(file, `invalid path '${p}'`);
  const abs = path.resolve(wdir, p);
  if (!opts.allowOutside && (path.isAbsolute(p) || !isSubpath(abs, repoRoot))) {
    throw new DvcFileError(
      `Cached output(s) outside of DVC project: ${p}. See <https://dvc.org/doc/user-guide/pipelines/external-dependencies-and-outputs> for more info.`,
    );
  }
  let hashName: HashInfo["name"] = m.get("hash") === "md5" ? "md5" : "md5-dos2unix";
  let value = m.get("md5");
  if (typeof value === "bigint") value = value.toString();
  if (value !== undefined && value !== null && typeof value !== "string") throw invalid(file, `invalid md5 for '${p}'`);
  const md5 = typeof value === "string" ? value.toLowerCase() : "";
  if (md5 && !/^[0-9a-f]{32}(\.dir)?$/.test(md5)) throw invalid(file, `invalid md5 '${md5}' for '${p}'`);
  if (!md5) hashName = "md5";
  const meta: Meta = {};
  const size = num(m.get("size"));
  if (size !== undefined) meta.size = size;
  const nfiles = num(m.get("nfiles"));
  if (nfiles !== undefined) meta.nfiles = nfiles;
  if (m.get("isexec") === true) meta.isexec = true;
  const flags: OutFlags = {};
  for (const k of ["cache", "metric", "persist", "push"] as const) {
    const v = m.get(k);
    if (typeof v === "boolean") flags[k] = v;
  }
  const plot = m.get("plot");
  if (plot !== undefined) flags.plot = plot as OutFlags["plot"];
  for (const k of ["desc", "type", "remote"] as const) {
    const v = m.get(k);
    if (typeof v === "string") flags[k] = v;
  }
  if (m.has("labels")) flags.labels = m.get("labels") as string[];
  if (m.has("meta")) flags.meta = m.get("meta");
  return new Output(p, abs, { hash: { name: hashName, value: md5 }, meta, flags });
}

export async function loadDvcFile(repoRoot: string, file: string): Promise<DvcFileStage> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new DvcFileError(`'${path.relative(process.cwd(), file)}' does not exist`);
    }
    throw e;
  }
  return parseDvcFile(repoRoot, file, text);
}

export function parseDvcFile(repoRoot: string, file: string, text: string): DvcFileStage {
  let doc: YValue;
  try {
    doc = loadYaml(text);
  } catch (e) {
    if (e instanceof YamlParseError) {
      throw new ReportError(formatYamlError(e, path.relative(process.cwd(), file), text).replace(/\n$/, ""));
    }
    throw e;
  }
  validateDvcFile(doc, path.relative(process.cwd(), file), text);
  const stage = new DvcFileStage(repoRoot, file);
  stage.raw = doc;
  const data = toPy(doc);
  const top = asMap(data);
  if (!top) throw invalid(file, "expected a dictionary");
  for (const [k, v] of top) {
    if (!TOP_KEYS.has(k)) throw invalid(file, `extra keys not allowed @ data['${k}']`);
    if (k !== "outs" && k !== "deps") stage.extra.set(k, v);
  }
  const wdir = stage.wdir;
  const outs = top.get("outs");
  if (outs !== undefined && outs !== null) {
    if (!Array.isArray(outs)) throw invalid(file, "expected a list @ data['outs']");
    stage.outs = outs.map((o) => parseOutEntry(o, wdir, repoRoot, file, "outs"));
  }
  const deps = top.get("deps");
  if (Array.isArray(deps)) {
    stage.deps = deps.map((d) => parseOutEntry(d, wdir, repoRoot, file, "deps", { allowOutside: true }));
  }
  return stage;
}

/** An out/dep as DVC's `Output.dumpd` orders it. */
export function dumpOutEntry(o: Output): Map<string, PyValue> {
  const m = new Map<string, PyValue>();
  if (o.hash.value) m.set("md5", o.hash.value);
  if (o.meta.size !== undefined) m.set("size", BigInt(o.meta.size));
  if (o.meta.nfiles !== undefined) m.set("nfiles", BigInt(o.meta.nfiles));
  if (o.meta.isexec) m.set("isexec", true);
  if (o.hash.value && o.hash.name === "md5") m.set("hash", "md5");
  m.set("path", o.defPath);
  const f = o.flags;
  if (f.desc !== undefined) m.set("desc", f.desc);
  if (f.type !== undefined) m.set("type", f.type);
  if (f.labels !== undefined) m.set("labels", f.labels);
  if (f.meta !== undefined) m.set("meta", f.meta as PyValue);
  if (f.cache === false) m.set("cache", false);
  if (f.metric !== undefined) m.set("metric", f.metric);
  if (f.plot !== undefined) m.set("plot", f.plot as PyValue);
  if (f.persist) m.set("persist", true);
  if (f.remote !== undefined) m.set("remote", f.remote);
  if (f.push === false) m.set("push", false);
  return m;
}

/** The stage as DVC dumps it (`dvc/stage/utils.py: get_dump`). */
export function dumpDvcStage(stage: DvcFileStage): Map<string, PyValue> {
  const m = new Map<string, PyValue>();
  const x = stage.extra;
  const put = (k: string, v: PyValue | undefined) => {
    if (v !== undefined && v !== null && v !== false && !(typeof v === "string" && v === "")) m.set(k, v);
  };
  put("desc", x.get("desc"));
  put("md5", x.get("md5"));
  put("cmd", x.get("cmd"));
  const wdir = x.get("wdir");
  if (wdir !== undefined && wdir !== ".") put("wdir", wdir);
  put("frozen", x.get("frozen"));
  if (stage.deps.length) m.set("deps", stage.deps.map(dumpOutEntry));
  if (stage.outs.length) m.set("outs", stage.outs.map(dumpOutEntry));
  put("always_changed", x.get("always_changed"));
  put("meta", x.get("meta"));
  return m;
}

/** The bytes of the stage's `.dvc` file, merged into its existing document if any. */
export function serializeDvcFile(stage: DvcFileStage): string {
  const fresh = fromPy(dumpDvcStage(stage));
  const doc = stage.raw instanceof YMap ? applyDiff(fresh, stage.raw) : fresh;
  return dumpYaml(doc);
}

export async function writeDvcFile(stage: DvcFileStage): Promise<void> {
  await writeFileAtomic(stage.file, serializeDvcFile(stage));
}
