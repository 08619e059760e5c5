// The YAML document model shared by the whole project.
//
// It is what ruamel.yaml's round-trip loader gives DVC: ordered mappings with string keys,
// sequences, scalars typed the YAML 1.2 way (ints are bigint, floats are number, so `1` and
// `1.0` stay distinct) and block scalars that remember their `|` / `>` style. Every mapping
// pair and sequence item may carry the comments found around it in the source and its source
// position, so a file can be loaded, changed and written back with its comments in place.

import type { PyValue } from "../util/py.js";

/** A scalar: `null`, a bool, an int (bigint), a float (number) or a string. */
export type YScalar = null | boolean | bigint | number | string;

/** A value of the model. */
export type YValue = YScalar | YMap | YSeq | YBlockStr;

/**
 * Comment and position details of one mapping pair or sequence item.
 *
 * Comment texts are raw source lines (blank lines and full-line comments exactly as written,
 * indentation and `#` included) joined with `\n`, without a final newline; they are written back
 * verbatim. They are attached the way ruamel.yaml attaches them, so that they move (or vanish)
 * with the same node when a file is rewritten:
 * - lines after a scalar (or flow/empty) value belong to that pair/item (`commentLines`), even
 *   when the next key is at another level;
 * - lines between `key:` and the first key of its block mapping belong to that key
 *   (`commentLines`, written right after `key:`);
 * - lines above a sequence item (the first one, or one whose mapping starts on the line after
 *   its `-`) and lines at the top of the file belong to the item/key below (`commentBefore`).
 */
export interface YNodeMeta {
  /** Raw lines written before this key/item. */
  commentBefore?: string;
  /** End-of-line comment after the value (or after `key:` for a block collection), from `#`. */
  comment?: string;
  /** 0-based source column of the end-of-line comment; it is written back at that column. */
  commentCol?: number;
  /** Raw lines following the value's line (or the `key:` line of a block mapping). */
  commentLines?: string;
  /** 1-based source line/column of the key (mapping) or of the `-` (sequence). */
  line?: number;
  col?: number;
  /** 1-based source line/column of the value. */
  valueLine?: number;
  valueCol?: number;
}

/** One key/value pair of a YMap. */
export interface YPair extends YNodeMeta {
  key: string;
  value: YValue;
  /** The key as typed in the source when it was not a string (`1:` is the int 1). */
  rawKey?: YScalar;
}

/** One item of a YSeq. */
export interface YItem extends YNodeMeta {
  value: YValue;
}

/** A block scalar that came from the source (`|` literal or `>` folded). */
export class YBlockStr {
  value: string;
  style: "literal" | "folded";
  /**
   * Folded scalars only: indexes in `value` of the spaces that were line folds in the source,
   * so that the scalar is folded at the same places when written back (ruamel's `fold_pos`).
   */
  foldPos?: number[];

  constructor(value: string, style: "literal" | "folded" = "literal", foldPos?: number[]) {
    this.value = value;
    this.style = style;
    if (foldPos !== undefined) this.foldPos = foldPos;
  }

  toString(): string {
    return this.value;
  }
}

/** An ordered mapping with string keys. */
export class YMap {
  /** Written in flow style `{a: 1}`. */
  flow?: boolean;
  /** Raw lines (blank and comments) after the last pair, written back verbatim. */
  endComment?: string;
  /** 1-based source position of the mapping's first key (or `{`). */
  line?: number;
  col?: number;

  private readonly list: YPair[] = [];
  private readonly index = new Map<string, YPair>();

  constructor(entries?: Iterable<readonly [string, YValue]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.list.length;
  }

  get(key: string): YValue | undefined {
    return this.index.get(key)?.value;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  /** Set a value: an existing key keeps its place and comments, a new key is appended. */
  set(key: string, value: YValue): this {
    const pair = this.index.get(key);
    if (pair) pair.value = value;
    else this.addPair({ key, value });
    return this;
  }

  /** Insert a new key just before `beforeKey` (appended when that key is absent). */
  insertBefore(beforeKey: string, key: string, value: YValue): this {
    if (this.index.has(key) || !this.index.has(beforeKey)) return this.set(key, value);
    const pair: YPair = { key, value };
    this.list.splice(this.list.indexOf(this.index.get(beforeKey)!), 0, pair);
    this.index.set(key, pair);
    return this;
  }

  /** Append a complete pair (replacing any pair with the same key in place). */
  addPair(pair: YPair): this {
    const old = this.index.get(pair.key);
    if (old) {
      this.list[this.list.indexOf(old)] = pair;
    } else {
      this.list.push(pair);
    }
    this.index.set(pair.key, pair);
    return this;
  }

  delete(key: string): boolean {
    const pair = this.index.get(key);
    if (!pair) return false;
    this.list.splice(this.list.indexOf(pair), 1);
    this.index.delete(key);
    return true;
  }

  /** The pair of a key, with its comments and position. */
  pair(key: string): YPair | undefined {
    return this.index.get(key);
  }

  /** All pairs in order (the live objects: changing their meta changes the output). */
  pairs(): readonly YPair[] {
    return this.list;
  }

  keys(): string[] {
    return this.list.map((p) => p.key);
  }

  values(): YValue[] {
    return this.list.map((p) => p.value);
  }

  entries(): [string, YValue][] {
    return this.list.map((p) => [p.key, p.value]);
  }

  [Symbol.iterator](): Iterator<[string, YValue]> {
    return this.entries()[Symbol.iterator]();
  }
}

/** A sequence. */
export class YSeq {
  /** Written in flow style `[a, b]`. */
  flow?: boolean;
  /** Raw lines (blank and comments) after the last item, written back verbatim. */
  endComment?: string;
  /** 1-based source position of the first `-` (or `[`). */
  line?: number;
  col?: number;

  readonly items: YItem[] = [];

  constructor(values?: Iterable<YValue>) {
    if (values) for (const v of values) this.items.push({ value: v });
  }

  get length(): number {
    return this.items.length;
  }

  get(i: number): YValue | undefined {
    return this.items[i]?.value;
  }

  /** Replace item `i` keeping its comments (or append when `i` is the length). */
  set(i: number, value: YValue): this {
    const item = this.items[i];
    if (item) item.value = value;
    else if (i === this.items.length) this.items.push({ value });
    else throw new RangeError(`index ${i} out of range`);
    return this;
  }

  push(...values: YValue[]): this {
    for (const v of values) this.items.push({ value: v });
    return this;
  }

  values(): YValue[] {
    return this.items.map((it) => it.value);
  }

  [Symbol.iterator](): Iterator<YValue> {
    return this.values()[Symbol.iterator]();
  }
}

export function isYMap(v: unknown): v is YMap {
  return v instanceof YMap;
}

export function isYSeq(v: unknown): v is YSeq {
  return v instanceof YSeq;
}

/** A string value, including one written as a block scalar. */
export function isYString(v: unknown): v is string | YBlockStr {
  return typeof v === "string" || v instanceof YBlockStr;
}

/** The plain string of a string value (block scalars included), else undefined. */
export function yString(v: YValue | undefined): string | undefined {
  if (typeof v === "string") return v;
  if (v instanceof YBlockStr) return v.value;
  return undefined;
}

/** Convert to plain Python-like data: YMap -> Map (ordered), YSeq -> array, block str -> string. */
export function toPy(v: YValue): PyValue {
  if (v instanceof YMap) {
    const m = new Map<string, PyValue>();
    for (const p of v.pairs()) m.set(p.key, toPy(p.value));
    return m;
  }
  if (v instanceof YSeq) return v.items.map((it) => toPy(it.value));
  if (v instanceof YBlockStr) return v.value;
  return v;
}

/**
 * Convert plain data to the model: arrays -> YSeq, Maps and plain objects -> YMap (insertion
 * order). Model values are passed through unchanged.
 */
export function fromPy(v: PyValue | YValue): YValue {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof YMap || v instanceof YSeq || v instanceof YBlockStr) return v;
  if (Array.isArray(v)) return new YSeq(v.map((x) => fromPy(x)));
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
  const m = new YMap();
  for (const [k, x] of entries) m.set(String(k), fromPy(x));
  return m;
}

/** Deep copy of a value, comments and positions included. */
export function cloneY(v: YValue): YValue {
  if (v instanceof YMap) {
    const m = new YMap();
    copyCollectionMeta(v, m);
    for (const p of v.pairs()) m.addPair({ ...p, value: cloneY(p.value) });
    return m;
  }
  if (v instanceof YSeq) {
    const s = new YSeq();
    copyCollectionMeta(v, s);
    for (const it of v.items) s.items.push({ ...it, value: cloneY(it.value) });
    return s;
  }
  if (v instanceof YBlockStr) return new YBlockStr(v.value, v.style, v.foldPos?.slice());
  return v;
}

function copyCollectionMeta(from: YMap | YSeq, to: YMap | YSeq): void {
  if (from.flow !== undefined) to.flow = from.flow;
  if (from.endComment !== undefined) to.endComment = from.endComment;
  if (from.line !== undefined) to.line = from.line;
  if (from.col !== undefined) to.col = from.col;
}

/**
 * Python `==` between two values: ints, floats and bools compare numerically (`1 == 1.0 ==
 * True`), strings by content (a block scalar equals its plain string), mappings regardless of
 * key order, sequences item by item.
 */
export function pyEqual(a: YValue, b: YValue): boolean {
  if (isYString(a) || isYString(b)) {
    const sa = yString(a);
    const sb = yString(b);
    return sa !== undefined && sb !== undefined && sa === sb;
  }
  if (a instanceof YMap || b instanceof YMap) {
    if (!(a instanceof YMap && b instanceof YMap) || a.size !== b.size) return false;
    for (const p of a.pairs()) {
      const other = b.get(p.key);
      if (other === undefined || !pyEqual(p.value, other)) return false;
    }
    return true;
  }
  if (a instanceof YSeq || b instanceof YSeq) {
    if (!(a instanceof YSeq && b instanceof YSeq) || a.length !== b.length) return false;
    return a.items.every((it, i) => pyEqual(it.value, b.items[i].value));
  }
  if (a === null || b === null) return a === b;
  return numericEqual(a, b);
}

/** `pyEqual(fromPy(a), fromPy(b))`, without building the models. */
export function pyValueEqual(a: PyValue, b: PyValue): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  const am = a !== null && typeof a === "object" && !Array.isArray(a);
  const bm = b !== null && typeof b === "object" && !Array.isArray(b);
  if (am || bm) {
    if (!(am && bm)) return false;
    const ma = a instanceof Map ? a : new Map(Object.entries(a as Record<string, PyValue>));
    const mb = b instanceof Map ? b : new Map(Object.entries(b as Record<string, PyValue>));
    if (ma.size !== mb.size) return false;
    for (const [k, v] of ma) {
      const other = mb.get(k);
      if (other === undefined || !pyValueEqual(v, other)) return false;
    }
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    return a.every((v, i) => pyValueEqual(v, b[i]));
  }
  if (a === null || b === null) return a === b;
  return numericEqual(a, b);
}

function numericEqual(a: boolean | bigint | number, b: boolean | bigint | number): boolean {
  const x = typeof a === "boolean" ? BigInt(a) : a;
  const y = typeof b === "boolean" ? BigInt(b) : b;
  if (typeof x === "bigint" && typeof y === "bigint") return x === y;
  if (typeof x === "number" && typeof y === "number") return x === y;
  // int vs float: equal only when the float is integral and has the same value
  const f = typeof x === "number" ? x : (y as number);
  const i = typeof x === "bigint" ? x : (y as bigint);
  return Number.isInteger(f) && BigInt(f) === i;
}
