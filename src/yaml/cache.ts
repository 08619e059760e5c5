// A persistent cache of parsed YAML documents, so that commands which only read dvc.yaml and
// dvc.lock (status, dag, a no-op repro) do not parse them again: with a cold JIT, loading a
// 100-stage dvc.yaml takes ~70 ms, reading its cached model ~2 ms.
//
// Entries are keyed by the md5 of the text (the model is a pure function of it, so there is
// nothing to invalidate): `<dir>/<md5>.v8` holds the model as plain data in V8's serialization
// format. Only texts of at least MIN_TEXT bytes that loaded without error are cached, and only
// models of at most MAX_NODES nodes (an alias-heavy file stays uncached). Writes are atomic
// (temp + rename); an unreadable or foreign entry is ignored and replaced. Beside an entry,
// empty marker files `<md5>.<tag>.ok` record checks the text passed (its dvc.yaml or dvc.lock
// schema validation, a pure function of the text too), so they are not run again. The directory
// is trimmed to MAX_ENTRIES entries, oldest first, markers with them. The cache is an
// optimisation only: any failure falls back to parsing and checking.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { deserialize, serialize } from "node:v8";
import { YBlockStr, YMap, YSeq, type YItem, type YPair, type YValue } from "./model.js";

const MIN_TEXT = 2048;
const MAX_NODES = 200_000;
const MAX_ENTRIES = 64;
const FORMAT = 1;

/** Fields of pairs/items/collections copied as they are (all plain data). */
const META_KEYS = ["commentBefore", "comment", "commentCol", "commentLines", "line", "col", "valueLine", "valueCol"] as const;

type Plain = null | boolean | bigint | number | string | PlainMap | PlainSeq | PlainBlock;
interface PlainMap {
  t: 1;
  p: Record<string, unknown>[];
  flow?: boolean;
  endComment?: string;
  line?: number;
  col?: number;
}
interface PlainSeq {
  t: 2;
  i: Record<string, unknown>[];
  flow?: boolean;
  endComment?: string;
  line?: number;
  col?: number;
}
interface PlainBlock {
  t: 3;
  v: string;
  s: "literal" | "folded";
  f?: number[];
}

class TooBig extends Error {}

function copyMeta(from: object, to: Record<string, unknown>): void {
  const src = from as Record<string, unknown>;
  for (const k of META_KEYS) if (src[k] !== undefined) to[k] = src[k];
}

function copyCollection(from: YMap | YSeq | PlainMap | PlainSeq, to: YMap | YSeq | PlainMap | PlainSeq): void {
  if (from.flow !== undefined) to.flow = from.flow;
  if (from.endComment !== undefined) to.endComment = from.endComment;
  if (from.line !== undefined) to.line = from.line;
  if (from.col !== undefined) to.col = from.col;
}

/** The model as plain data (throws TooBig past MAX_NODES nodes). */
export function toPlain(v: YValue, budget = { left: MAX_NODES }): Plain {
  if (--budget.left < 0) throw new TooBig();
  if (v === null || typeof v !== "object") return v;
  if (v instanceof YBlockStr) {
    const b: PlainBlock = { t: 3, v: v.value, s: v.style };
    if (v.foldPos !== undefined) b.f = v.foldPos.slice();
    return b;
  }
  if (v instanceof YMap) {
    const m: PlainMap = { t: 1, p: [] };
    copyCollection(v, m);
    for (const pair of v.pairs()) {
      const p: Record<string, unknown> = { key: pair.key, value: toPlain(pair.value, budget) };
      if (pair.rawKey !== undefined) p.rawKey = pair.rawKey;
      copyMeta(pair, p);
      m.p.push(p);
    }
    return m;
  }
  const s: PlainSeq = { t: 2, i: [] };
  copyCollection(v, s);
  for (const item of v.items) {
    const it: Record<string, unknown> = { value: toPlain(item.value, budget) };
    copyMeta(item, it);
    s.i.push(it);
  }
  return s;
}

/** The model back from plain data. */
export function fromPlain(p: Plain): YValue {
  if (p === null || typeof p !== "object") return p;
  if (p.t === 3) return new YBlockStr(p.v, p.s, p.f);
  if (p.t === 1) {
    const m = new YMap();
    copyCollection(p, m);
    for (const raw of p.p) {
      const pair: YPair = { key: raw.key as string, value: fromPlain(raw.value as Plain) };
      if (raw.rawKey !== undefined) pair.rawKey = raw.rawKey as YPair["rawKey"];
      copyMeta(raw, pair as unknown as Record<string, unknown>);
      m.addPair(pair);
    }
    return m;
  }
  const s = new YSeq();
  copyCollection(p, s);
  for (const raw of p.i) {
    const item: YItem = { value: fromPlain(raw.value as Plain) };
    copyMeta(raw, item as unknown as Record<string, unknown>);
    s.items.push(item);
  }
  return s;
}

export class YamlCache {
  /** `dir` is `<repo>/.dvc/tmp/dvc-ts/yaml` (entries are written only while `.dvc` exists). */
  constructor(readonly dir: string) {}

  static keyOf(text: string): string {
    return createHash("md5").update(text).digest("hex");
  }

  /** Whether a text is worth caching. */
  static wants(text: string): boolean {
    return text.length >= MIN_TEXT;
  }

  get(key: string): YValue | undefined {
    try {
      const data = deserialize(fs.readFileSync(path.join(this.dir, `${key}.v8`))) as { format?: number; key?: string; model?: Plain };
      if (data?.format !== FORMAT || data.key !== key) return undefined;
      return fromPlain(data.model as Plain);
    } catch {
      return undefined;
    }
  }

  set(key: string, model: YValue): void {
    let plain: Plain;
    try {
      plain = toPlain(model);
    } catch (e) {
      if (e instanceof TooBig) return;
      throw e;
    }
    const file = path.join(this.dir, `${key}.v8`);
    const tmp = path.join(this.dir, `.${key}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      // Only below an existing `.dvc` (the directory three levels up): a repository deleted
      // since it was opened is not brought back by a late write.
      if (!fs.existsSync(path.dirname(path.dirname(path.dirname(this.dir))))) return;
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(tmp, serialize({ format: FORMAT, key, model: plain }));
      fs.renameSync(tmp, file);
      this.trim();
    } catch {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        /* ignore */
      }
    }
  }

  /** Whether the text with this key passed the check `tag` before. */
  passed(key: string, tag: string): boolean {
    return fs.existsSync(path.join(this.dir, `${key}.${tag}.ok`));
  }

  /** Record that the text with this key passed the check `tag` (it must be cached). */
  markPassed(key: string, tag: string): void {
    if (!/^[a-z-]+$/.test(tag) || !fs.existsSync(path.join(this.dir, `${key}.v8`))) return;
    try {
      fs.writeFileSync(path.join(this.dir, `${key}.${tag}.ok`), "");
    } catch {
      /* an optimisation only */
    }
  }

  private trim(): void {
    const all = fs.readdirSync(this.dir);
    const names = all.filter((n) => n.endsWith(".v8"));
    if (names.length <= MAX_ENTRIES) return;
    const aged = names.map((n) => ({ n, t: fs.statSync(path.join(this.dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
    aged.sort((a, b) => a.t - b.t);
    const dropped = new Set(aged.slice(0, names.length - MAX_ENTRIES / 2).map(({ n }) => n.slice(0, -".v8".length)));
    for (const n of all) if (dropped.has(n.split(".")[0])) fs.rmSync(path.join(this.dir, n), { force: true });
  }
}
