// dvc.lock (dvc/dvcfile.py Lockfile, dvc/stage/serialize.py to_single_stage_lockfile): read
// entries per stage name, and write one stage's entry in place (new stages appended) through
// the ruamel-compatible emitter so the rest of the file keeps its bytes and comments.
import { promises as fsp, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { DvcException, ReportError } from "../errors.js";
import { validateLockfile } from "./schema.js";
import { writeFileAtomic } from "../util/fs.js";
import type { WriteBehind } from "../util/write-behind.js";
import { cmpCodepoint, type PyValue } from "../util/py.js";
import { checkOnce, loadYaml, loadYamlPy, YamlParseError, formatYamlError } from "../yaml/load.js";
import { dumpYaml } from "../yaml/emit.js";
import { YMap, fromPy } from "../yaml/model.js";
import type { Output } from "../stage/output.js";
import type { ParamsDep, PipelineStage } from "../stage/pipeline-stage.js";

export class LockfileError extends DvcException {}

export interface Lockfile {
  /** Absolute path. */
  file: string;
  /** The document as loaded (null when the file does not exist). */
  raw: YMap | null;
  /** Per stage name, the entry as plain data. */
  stages: Map<string, Map<string, PyValue>>;
}

/**
 * Parsed lock files kept for the rest of the command (validated by size and mtime), so a repro
 * of many stages does not re-parse a growing dvc.lock after each one.
 */
interface CachedLock {
  size: number;
  mtimeNs: bigint;
  text: string;
  lock: Lockfile;
  /** A write of `text` is scheduled and not yet on disk: this entry is the truth. */
  pending?: boolean;
}
const cache = new Map<string, CachedLock>();

// Synchronous reads: small files, where a thread-pool round trip costs more than the call.
function statKey(file: string): { size: number; mtimeNs: bigint } | null {
  try {
    const st = statSync(file, { bigint: true });
    return { size: Number(st.size), mtimeNs: st.mtimeNs };
  } catch {
    return null;
  }
}

/** Whether `file` exists, counting a write scheduled by `writeLockEntry` as done. */
export function lockfileExists(file: string): boolean {
  return cache.get(file)?.pending === true || statKey(file) !== null;
}

export async function readLockfile(file: string): Promise<Lockfile> {
  const hit = cache.get(file);
  const key = hit?.pending ? null : statKey(file);
  if (hit && (hit.pending || (key && hit.size === key.size && hit.mtimeNs === key.mtimeNs))) return hit.lock;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { file, raw: null, stages: new Map() };
    throw e;
  }
  // The entries as plain data first: with the YAML cache, the model (comments, positions: what
  // a rewrite keeps) is built only when a check or a write needs it.
  let py: PyValue;
  try {
    py = loadYamlPy(text);
  } catch (e) {
    if (e instanceof YamlParseError) throw new ReportError(formatYamlError(e, path.relative(process.cwd(), file), text).replace(/\n$/, ""));
    throw e;
  }
  checkOnce(text, "dvc-lock", () => validateLockfile(loadYaml(text), path.relative(process.cwd(), file), text));
  if (!(py instanceof Map)) return { file, raw: null, stages: new Map() };
  const stages = new Map<string, Map<string, PyValue>>();
  const st = py.get("stages") ?? null;
  if (st instanceof Map) {
    for (const [name, entry] of st) if (entry instanceof Map) stages.set(name, entry as Map<string, PyValue>);
  }
  let raw: YMap | null | undefined;
  const lock: Lockfile = {
    file,
    get raw(): YMap | null {
      if (raw === undefined) {
        const doc = loadYaml(text);
        raw = doc instanceof YMap ? doc : null;
      }
      return raw;
    },
    set raw(doc: YMap | null) {
      raw = doc;
    },
    stages,
  };
  if (key) cache.set(file, { ...key, text, lock });
  return lock;
}

function outEntry(o: Output): Map<string, PyValue> {
  const m = new Map<string, PyValue>();
  m.set("path", o.defPath);
  if (o.hash.value) {
    if (o.hash.name === "md5") m.set("hash", "md5");
    m.set("md5", o.hash.value);
  }
  if (o.meta.size !== undefined) m.set("size", BigInt(o.meta.size));
  if (o.meta.nfiles !== undefined) m.set("nfiles", BigInt(o.meta.nfiles));
  if (o.meta.isexec) m.set("isexec", true);
  return m;
}

function sortedByPath(list: Output[]): Output[] {
  return list.slice().sort((a, b) => cmpCodepoint(a.defPath, b.defPath));
}

/** Params values per file as dvc.lock records them: params.yaml first, then by path. */
export function paramsEntry(params: ParamsDep[], current: Map<ParamsDep, Map<string, PyValue>>): Map<string, PyValue> | null {
  if (params.length === 0) return null;
  const files = params.slice().sort((a, b) => {
    if (a.defPath === "params.yaml") return -1;
    if (b.defPath === "params.yaml") return 1;
    return cmpCodepoint(a.defPath, b.defPath);
  });
  const out = new Map<string, PyValue>();
  for (const p of files) {
    const values = current.get(p) ?? new Map<string, PyValue>();
    const sorted = new Map([...values.entries()].sort((a, b) => cmpCodepoint(a[0], b[0])));
    out.set(p.defPath, sorted);
  }
  return out;
}

/** The lock entry of a stage (cmd, deps sorted, params, outs sorted). */
export function stageLockEntry(stage: PipelineStage, params: Map<string, PyValue> | null): Map<string, PyValue> {
  const m = new Map<string, PyValue>();
  m.set("cmd", stage.cmd);
  if (stage.deps.length) m.set("deps", sortedByPath(stage.deps).map(outEntry));
  if (params && params.size) m.set("params", params);
  if (stage.outs.length) m.set("outs", sortedByPath(stage.outs).map(outEntry));
  return m;
}

/** Replace (or append) one stage's entry and write the file atomically: now, or with
 * `writeBehind` in the background (readers of this module see the new entry at once). */
export async function writeLockEntry(
  file: string,
  name: string,
  entry: Map<string, PyValue>,
  /** Stages that come later in this run's plan: a new entry goes before any of them present. */
  later?: ReadonlySet<string>,
  writeBehind?: WriteBehind,
): Promise<void> {
  const lock = await readLockfile(file);
  const prevText = cache.get(file)?.lock === lock ? cache.get(file)!.text : null;
  let doc = lock.raw;
  if (!doc) {
    doc = new YMap();
    doc.set("schema", "2.0");
  }
  let stages = doc.get("stages");
  if (!(stages instanceof YMap)) {
    stages = new YMap();
    doc.set("stages", stages);
  }
  const smap = stages as YMap;
  const isNew = !smap.has(name);
  const value = fromPy(entry);
  let text: string;
  const keys = doc.keys();
  const beforeKey = isNew && later ? smap.keys().find((k) => later.has(k)) : undefined;
  if (beforeKey !== undefined) {
    smap.insertBefore(beforeKey, name, value);
    text = dumpYaml(doc);
  } else if (isNew && prevText !== null && smap.size > 0 && keys[keys.length - 1] === "stages" && !smap.endComment && !doc.endComment) {
    // Appending a stage at the end of `stages:` adds exactly its own lines: no full re-dump.
    const one = new YMap();
    one.set("stages", new YMap([[name, value]]));
    text = prevText + dumpYaml(one).slice("stages:\n".length);
    smap.set(name, value);
  } else {
    smap.set(name, value);
    text = dumpYaml(doc);
  }
  if (writeBehind) {
    lock.raw = doc;
    lock.stages.set(name, entry);
    const cached: CachedLock = { size: 0, mtimeNs: 0n, text, lock, pending: true };
    cache.set(file, cached);
    writeBehind.write(file, text, (ok) => {
      // on disk now: validate by stat again, unless a newer entry replaced this one; not
      // written: forget it, the file is read again
      if (cache.get(file) !== cached) return;
      const key = ok ? statKey(file) : null;
      if (key) cache.set(file, { ...key, text, lock });
      else cache.delete(file);
    });
    return;
  }
  await writeFileAtomic(file, text);
  lock.raw = doc;
  lock.stages.set(name, entry);
  const key = statKey(file);
  if (key) cache.set(file, { ...key, text, lock });
}

/** Remove stage entries; the file is deleted when no stage is left. */
export async function removeLockEntries(file: string, names: string[]): Promise<void> {
  const lock = await readLockfile(file);
  const doc = lock.raw;
  if (!doc) return;
  const stages = doc.get("stages");
  if (stages instanceof YMap) for (const n of names) stages.delete(n);
  cache.delete(file);
  if (!(stages instanceof YMap) || stages.size === 0) {
    await fsp.rm(file, { force: true });
    return;
  }
  await writeFileAtomic(file, dumpYaml(doc));
}
