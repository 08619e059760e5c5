// A persistent cache of parsed YAML documents, so that commands which only read dvc.yaml and
// dvc.lock (status, dag, a no-op repro) do not parse them again: with a cold JIT, loading a
// 100-stage dvc.yaml takes ~70 ms, reading its cached model ~2 ms.
//
// Entries are keyed by a 64-bit hash of the text (the model is a pure function of it, so there
// is nothing to invalidate): `<dir>/<key>.json` holds the text and its model as plain JSON data
// (JSON.parse reads it as fast as v8.deserialize, and node:v8 costs ~3 ms to load). An entry is
// used only when its text equals the one being loaded, so the key need not be a cryptographic
// hash (node:crypto alone costs ~7 ms to load). Only texts of at least MIN_TEXT bytes that
// loaded without error are cached, and only models of at most MAX_NODES nodes (an alias-heavy
// file stays uncached). Writes are atomic (temp + rename); an unreadable or foreign entry is
// ignored and replaced. An entry also lists the checks its text passed (dvc.yaml or dvc.lock
// schema validation, pure functions of the text too), so they are not run again. The directory
// is trimmed to MAX_ENTRIES entries, oldest first.
// The cache is an optimisation only: any failure falls back to parsing and checking.
import * as fs from "node:fs";
import * as path from "node:path";
import type { PyValue } from "../util/py.js";
import { textKey } from "../util/hash64.js";
import { writeOwnCacheFile } from "../util/fs.js";
import { YBlockStr, YMap, YSeq, type YItem, type YPair, type YValue } from "./model.js";

const MIN_TEXT = 2048;
const MAX_NODES = 200_000;
const MAX_ENTRIES = 64;
const FORMAT = 3;
const EXT = ".json";

/** Fields of pairs/items/collections copied as they are (all plain data). */
const META_KEYS = ["commentBefore", "comment", "commentCol", "commentLines", "line", "col", "valueLine", "valueCol"] as const;

export type Plain = null | boolean | number | string | PlainMap | PlainSeq | PlainBlock | PlainBigInt | PlainSpecialFloat;
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
/** What JSON cannot hold, as text: a bigint (t 4), or NaN, ±Infinity and -0 (t 5). */
interface PlainBigInt {
  t: 4;
  v: string;
}
interface PlainSpecialFloat {
  t: 5;
  v: string;
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
  if (typeof v === "bigint") return { t: 4, v: v.toString() };
  if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) return { t: 5, v: Object.is(v, -0) ? "-0" : String(v) };
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
      if (pair.rawKey !== undefined) p.rawKey = toPlain(pair.rawKey, budget);
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

/** `toPy(fromPlain(p))` without building the model. */
export function plainToPy(p: Plain): PyValue {
  if (p === null || typeof p !== "object") return p;
  switch (p.t) {
    case 1: {
      const m = new Map<string, PyValue>();
      for (const raw of p.p) m.set(raw.key as string, plainToPy(raw.value as Plain));
      return m;
    }
    case 2:
      return p.i.map((raw) => plainToPy(raw.value as Plain));
    case 3:
      return p.v;
    case 4:
      return BigInt(p.v);
    default:
      return Number(p.v);
  }
}

/** The model back from plain data. */
export function fromPlain(p: Plain): YValue {
  if (p === null || typeof p !== "object") return p;
  if (p.t === 4) return BigInt(p.v);
  if (p.t === 5) return Number(p.v);
  if (p.t === 3) return new YBlockStr(p.v, p.s, p.f);
  if (p.t === 1) {
    const m = new YMap();
    copyCollection(p, m);
    for (const raw of p.p) {
      const pair: YPair = { key: raw.key as string, value: fromPlain(raw.value as Plain) };
      if (raw.rawKey !== undefined) pair.rawKey = fromPlain(raw.rawKey as Plain) as YPair["rawKey"];
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

interface Entry {
  format: number;
  key: string;
  text: string;
  model: Plain;
  /** Checks this text passed (see `passed`). */
  passed: string[];
}

export class YamlCache {
  /** Entries read back or written by this process, each holding the very text loaded. */
  private readonly seen = new Map<string, Entry>();

  /** `dir` is `<repo>/.dvc/tmp/dvc-ts/yaml` (entries are written only while `.dvc` exists). */
  constructor(readonly dir: string) {}

  static keyOf(text: string): string {
    return textKey(text);
  }

  /** Whether a text is worth caching. */
  static wants(text: string): boolean {
    return text.length >= MIN_TEXT;
  }

  /** The model cached for `text` (whose key is `key`), if any. */
  get(key: string, text: string): YValue | undefined {
    const plain = this.getPlain(key, text);
    return plain === undefined ? undefined : fromPlain(plain);
  }

  /** The model cached for `text` as plain data (see `plainToPy`), if any. */
  getPlain(key: string, text: string): Plain | undefined {
    const known = this.seen.get(key);
    if (known?.text === text) return known.model;
    try {
      const data = JSON.parse(fs.readFileSync(path.join(this.dir, `${key}${EXT}`), "utf8")) as Partial<Entry> | null;
      if (data?.format !== FORMAT || data.key !== key || data.text !== text || !Array.isArray(data.passed)) return undefined;
      this.seen.set(key, data as Entry);
      return data.model;
    } catch {
      return undefined;
    }
  }

  set(key: string, text: string, model: YValue): void {
    let plain: Plain;
    try {
      plain = toPlain(model);
    } catch (e) {
      if (e instanceof TooBig) return;
      throw e;
    }
    const entry: Entry = { format: FORMAT, key, text, model: plain, passed: [] };
    if (this.write(entry, true)) this.seen.set(key, entry);
  }

  /** Whether the text with this key passed the check `tag` before: recorded in the entry this
   * process read or wrote for that very text. */
  passed(key: string, tag: string): boolean {
    return this.seen.get(key)?.passed.includes(tag) ?? false;
  }

  /** Record in the entry of the text with this key that it passed the check `tag`. */
  markPassed(key: string, tag: string): void {
    const entry = this.seen.get(key);
    if (!entry || entry.passed.includes(tag)) return;
    entry.passed.push(tag);
    this.write(entry);
  }

  /** Write an entry (only below an existing `.dvc`, three levels up); false when not written. */
  private write(entry: Entry, trim = false): boolean {
    const anchor = path.dirname(path.dirname(path.dirname(this.dir)));
    return writeOwnCacheFile(anchor, this.dir, `${entry.key}${EXT}`, JSON.stringify(entry), trim ? { ext: EXT, max: MAX_ENTRIES } : undefined);
  }
}
