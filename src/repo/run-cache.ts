// The run cache (dvc/stage/cache.py): `<cache>/runs/<key[0:2]>/<key>/<value>` holding a stage's
// lock entry as YAML, keyed by sha256 of its Python-JSON form with outputs reduced to paths and
// every `size`/`nfiles` removed. Lets repro restore outputs instead of running a command again.
import { crypto } from "../util/lazy.js";
import { existsSync, mkdirSync, promises as fsp, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../util/fs.js";
import type { WriteBehind } from "../util/write-behind.js";
import { jsonDumps, type PyValue } from "../util/py.js";
import { dumpYaml } from "../yaml/emit.js";
import { loadYaml } from "../yaml/load.js";
import { fromPy, toPy } from "../yaml/model.js";
import { PipelineStage } from "../stage/pipeline-stage.js";

function stripSizes(v: PyValue): PyValue {
  if (Array.isArray(v)) return v.map(stripSizes);
  if (v instanceof Map) {
    const m = new Map<string, PyValue>();
    for (const [k, x] of v) if (k !== "size" && k !== "nfiles") m.set(k, stripSizes(x));
    return m;
  }
  return v;
}

function sha256(v: PyValue): string {
  return crypto().createHash("sha256").update(jsonDumps(v, { sortKeys: true })).digest("hex");
}

/** The run-cache key of a lock entry: outputs as paths, no sizes. */
export function runCacheKey(entry: Map<string, PyValue>): string {
  const e = new Map(entry);
  const outs = e.get("outs");
  if (Array.isArray(outs)) e.set("outs", outs.map((o) => (o instanceof Map ? (o.get("path") as PyValue) : o)));
  return sha256(stripSizes(e));
}

/** The value name of a lock entry. */
export function runCacheValue(entry: Map<string, PyValue>): string {
  return sha256(stripSizes(entry));
}

/** dvc/stage/cache.py `_can_hash`: which stages the run cache applies to. */
export function canUseRunCache(stage: PipelineStage): boolean {
  if (!stage.cmd || stage.isCallback || stage.alwaysChanged) return false;
  if (stage.deps.length + stage.params.length === 0 || stage.outs.length === 0) return false;
  return !stage.outs.some((o) => o.flags.persist);
}

export class RunCache {
  constructor(readonly cacheDir: string) {}

  private dir(key: string): string {
    return path.join(this.cacheDir, "runs", key.slice(0, 2), key);
  }

  /** Save a lock entry: now, or with `writeBehind` in the background (nothing in this run
   * looks it up again: another stage has other outputs, so another key). */
  async save(entry: Map<string, PyValue>, writeBehind?: WriteBehind): Promise<void> {
    const key = runCacheKey(entry);
    const dir = this.dir(key);
    const file = path.join(dir, runCacheValue(entry));
    const text = dumpYaml(fromPy(entry));
    if (writeBehind) {
      writeBehind.task(async () => {
        if (await fsp.access(file).then(() => true, () => false)) return;
        await fsp.mkdir(dir, { recursive: true });
        writeBehind.write(file, text);
      });
      return;
    }
    // Synchronous calls: one small entry per stage run.
    if (existsSync(file)) return;
    mkdirSync(dir, { recursive: true });
    await writeFileAtomic(file, text);
  }

  /** The newest entry (by mtime) saved under the key of `entry`, or null. */
  async lookup(entry: Map<string, PyValue>): Promise<Map<string, PyValue> | null> {
    const dir = this.dir(runCacheKey(entry));
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return null;
    }
    let best: { m: number; file: string } | null = null;
    for (const n of names) {
      if (!/^[0-9a-f]{64}$/.test(n)) continue;
      const st = statSync(path.join(dir, n));
      if (!best || st.mtimeMs > best.m) best = { m: st.mtimeMs, file: path.join(dir, n) };
    }
    if (!best) return null;
    try {
      const v = toPy(loadYaml(readFileSync(best.file, "utf8")));
      return v instanceof Map ? v : null;
    } catch {
      return null;
    }
  }
}
