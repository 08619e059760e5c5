// Loading params / vars files the way DVC does (dvc/utils/serialize/): the parser is chosen by
// the lower-cased suffix (`.json`, `.toml`, `.py`, anything else YAML), a falsy document loads as
// `{}`, and values keep their Python types — ints as bigint, floats as number — so `1`, `1.0`
// and `true` stay distinct. `.py` files are parsed, never executed: only module-level (and
// class-level) literal assignments are extracted, like DVC's `ast`-based loader.

import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse as parseToml } from "smol-toml";
import { DvcException } from "../errors.js";
import { pyTypeName, type PyValue } from "../util/py.js";
import { loadYaml } from "../yaml/load.js";
import { YBlockStr, YMap, YSeq, type YValue } from "../yaml/model.js";

/** Deepest nesting accepted anywhere (Python's default recursion limit is about this). */
export const MAX_DEPTH = 1000;

// =============================================================================================
// Non-string mapping keys
// =============================================================================================

// Python dicts may have non-string keys (YAML `1:`, Python `{1: 'a'}`). Maps here are keyed by
// strings, so the original key of such an entry is remembered on the side: DVC's templating
// context drops these entries, and foreach keys print them with Python's `str`.
const RAW_KEYS = new WeakMap<Map<string, PyValue>, Map<string, PyValue>>();

/** The original (non-string) key of an entry, or undefined when the key was a string. */
export function rawKeyOf(m: Map<string, PyValue>, key: string): PyValue | undefined {
  return RAW_KEYS.get(m)?.get(key);
}

/** Remember that an entry's key was not a string in the source. */
export function setRawKey(m: Map<string, PyValue>, key: string, raw: PyValue): void {
  let keys = RAW_KEYS.get(m);
  if (!keys) RAW_KEYS.set(m, (keys = new Map()));
  keys.set(key, raw);
}

// =============================================================================================
// Errors
// =============================================================================================

/** dvc.utils.serialize.ParseError: `unable to read: '<path>', <message>`. */
export class FileParseError extends DvcException {
  readonly path: string;
  constructor(display: string, message: string, opts?: { cause?: unknown }) {
    super(`unable to read: '${display}', ${message}`, opts);
    this.path = display;
  }
}
export class JSONFileCorruptedError extends FileParseError {
  constructor(display: string, opts?: { cause?: unknown }) {
    super(display, "JSON file structure is corrupted", opts);
  }
}
export class YAMLFileCorruptedError extends FileParseError {
  constructor(display: string, opts?: { cause?: unknown }) {
    super(display, "YAML file structure is corrupted", opts);
  }
}
export class TOMLFileCorruptedError extends FileParseError {
  constructor(display: string, opts?: { cause?: unknown }) {
    super(display, "TOML file structure is corrupted", opts);
  }
}
export class PythonFileCorruptedError extends FileParseError {
  constructor(display: string, opts?: { cause?: unknown }) {
    super(display, "Python file structure is corrupted", opts);
  }
}
export class EncodingError extends FileParseError {
  constructor(display: string, encoding = "utf-8") {
    super(display, `is not valid ${encoding}`);
  }
}

/** Python's FileNotFoundError as DVC reports it (`metrics show --json` uses the class name). */
export class FileNotFoundError extends DvcException {
  constructor(display: string) {
    super(`[Errno 2] No such file or directory: '${display}'`);
  }
}
export class IsADirectoryError extends DvcException {
  constructor(display: string) {
    super(`[Errno 21] Is a directory: '${display}'`);
  }
}

/** The templating context's loading errors (`'x' does not exist`, `expected a dictionary…`). */
export class ParamsFileError extends DvcException {}

// =============================================================================================
// File access
// =============================================================================================

/** What loading needs from a filesystem (the workspace by default; a git tree for revisions). */
export interface ParamsFs {
  exists(p: string): boolean;
  isdir(p: string): boolean;
  /** The file's bytes (or already-decoded text). */
  read(p: string): Uint8Array | string;
}

export const localFs: ParamsFs = {
  exists(p) {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  },
  isdir(p) {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  read(p) {
    return readFileSync(p);
  },
};

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decode as Python's `open(..., encoding="utf-8")` reads text: strict, universal newlines. */
export function decodeText(data: Uint8Array | string, display: string): string {
  let text: string;
  if (typeof data === "string") text = data;
  else {
    try {
      text = UTF8.decode(data);
    } catch {
      throw new EncodingError(display);
    }
  }
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

// =============================================================================================
// Parsing by suffix
// =============================================================================================

export type ParamsFormat = "yaml" | "json" | "toml" | "py";

/** The parser DVC picks for a file name (by lower-cased suffix; YAML for anything else). */
export function formatOf(fileName: string): ParamsFormat {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  // Python's PurePath.suffix: no suffix for names like ".bashrc" or "name."
  const suffix = dot > 0 && dot < base.length - 1 ? base.slice(dot).toLowerCase() : "";
  if (suffix === ".json") return "json";
  if (suffix === ".toml") return "toml";
  if (suffix === ".py") return "py";
  return "yaml";
}

/** Python truthiness (`data or {}`). */
function isFalsy(v: PyValue): boolean {
  if (v === null || v === false || v === "" || v === 0n || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  return false;
}

/**
 * Parse the content of a params file by its name's suffix. A falsy document gives an empty
 * map; other documents are returned as they are (possibly not a mapping). Throws
 * FileParseError subclasses naming `display` (default: `fileName`).
 */
export function parseParams(data: Uint8Array | string, fileName: string, display: string = fileName): PyValue {
  const text = decodeText(data, display);
  let value: PyValue;
  try {
    switch (formatOf(fileName)) {
      case "json":
        value = parseJson(text);
        break;
      case "toml":
        value = parseTomlText(text);
        break;
      case "py":
        value = parsePython(text);
        break;
      default:
        value = yamlToPy(loadYaml(text));
    }
  } catch (e) {
    if (e instanceof FileParseError) throw e;
    switch (formatOf(fileName)) {
      case "json":
        throw new JSONFileCorruptedError(display, { cause: e });
      case "toml":
        throw new TOMLFileCorruptedError(display, { cause: e });
      case "py":
        throw new PythonFileCorruptedError(display, { cause: e });
      default:
        throw new YAMLFileCorruptedError(display, { cause: e });
    }
  }
  return isFalsy(value) ? new Map() : value;
}

/**
 * dvc `load_path`: read and parse a file. Missing ⇒ FileNotFoundError, directory ⇒
 * IsADirectoryError, bad content ⇒ FileParseError.
 */
export function loadParams(absPath: string, opts: { display?: string; fs?: ParamsFs } = {}): PyValue {
  const fs = opts.fs ?? localFs;
  const display = opts.display ?? absPath;
  if (!fs.exists(absPath)) throw new FileNotFoundError(display);
  if (fs.isdir(absPath)) throw new IsADirectoryError(display);
  let data: Uint8Array | string;
  try {
    data = fs.read(absPath);
  } catch {
    throw new FileNotFoundError(display);
  }
  return parseParams(data, absPath, display);
}

/**
 * A params/vars file that must hold a mapping, with the templating context's messages:
 * `'x' does not exist`, `'x' is a directory`, `expected a dictionary, got 'list' in file 'x'`.
 */
export function loadParamsDict(absPath: string, opts: { display?: string; fs?: ParamsFs } = {}): Map<string, PyValue> {
  const fs = opts.fs ?? localFs;
  const display = opts.display ?? absPath;
  if (!fs.exists(absPath)) throw new ParamsFileError(`'${display}' does not exist`);
  if (fs.isdir(absPath)) throw new ParamsFileError(`'${display}' is a directory`);
  const data = loadParams(absPath, { display, fs });
  if (!(data instanceof Map)) throw new ParamsFileError(`expected a dictionary, got '${pyTypeName(data)}' in file '${display}'`);
  return data;
}

/** Async read of a params file that must be a mapping (used by params dependencies). */
export async function readParamsFile(absPath: string, display: string = absPath): Promise<Map<string, PyValue>> {
  let data: Buffer;
  try {
    data = readFileSync(absPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EISDIR") throw new IsADirectoryError(display);
    throw new FileNotFoundError(display);
  }
  const value = parseParams(data, absPath, display);
  if (!(value instanceof Map)) throw new ParamsFileError(`expected a dictionary, got '${pyTypeName(value)}' in file '${display}'`);
  return value;
}

/**
 * Look a dotted key (`train.lr`, `layers.0.size`) up in loaded params, like `dpath.get` with
 * separator `.`: list items by decimal index. Returns undefined when absent.
 */
export function getDotted(data: PyValue, key: string): PyValue | undefined {
  let cur: PyValue | undefined = data;
  for (const seg of key.split(".")) {
    if (cur instanceof Map) {
      if (!cur.has(seg)) return undefined;
      cur = cur.get(seg);
    } else if (Array.isArray(cur)) {
      if (!/^[0-9]+$/.test(seg)) return undefined;
      const i = Number(seg);
      if (i >= cur.length) return undefined;
      cur = cur[i];
    } else if (cur !== null && typeof cur === "object") {
      if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
      cur = (cur as { [k: string]: PyValue })[seg];
    } else {
      return undefined;
    }
  }
  return cur;
}

// =============================================================================================
// YAML
// =============================================================================================

/**
 * Convert the YAML model to plain values (like `toPy`), remembering non-string keys and
 * refusing nesting deeper than MAX_DEPTH.
 */
export function yamlToPy(v: YValue, depth = 0): PyValue {
  if (depth > MAX_DEPTH) throw new DvcException("maximum recursion depth exceeded");
  if (v instanceof YMap) {
    const m = new Map<string, PyValue>();
    for (const p of v.pairs()) {
      m.set(p.key, yamlToPy(p.value, depth + 1));
      if (p.rawKey !== undefined && typeof p.rawKey !== "string") setRawKey(m, p.key, p.rawKey);
    }
    return m;
  }
  if (v instanceof YSeq) return v.items.map((it) => yamlToPy(it.value, depth + 1));
  if (v instanceof YBlockStr) return v.value;
  return v;
}

// =============================================================================================
// JSON (Python `json.loads`: NaN/Infinity accepted, ints vs floats kept, last duplicate wins)
// =============================================================================================

class JsonError extends Error {}

export function parseJson(text: string): PyValue {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const fail = (msg: string): never => {
    throw new JsonError(`${msg}: char ${i}`);
  };
  const parseString = (): string => {
    // at the opening quote
    i++;
    let out = "";
    let start = i;
    for (;;) {
      if (i >= n) fail("Unterminated string starting at");
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail("Invalid control character at");
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        const simple = JSON_ESCAPES.get(e);
        if (simple !== undefined) out += simple;
        else if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Invalid \\uXXXX escape");
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else fail("Invalid \\escape");
        i += 2;
        start = i;
        continue;
      }
      i++;
    }
  };
  const NUM = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
  const parseValue = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail("maximum recursion depth exceeded");
    ws();
    if (i >= n) fail("Expecting value");
    const c = text[i];
    if (c === "{") {
      i++;
      const m = new Map<string, PyValue>();
      ws();
      if (text[i] === "}") {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("Expecting property name enclosed in double quotes");
        const k = parseString();
        ws();
        if (text[i] !== ":") fail("Expecting ':' delimiter");
        i++;
        m.set(k, parseValue(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return m;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === "[") {
      i++;
      const arr: PyValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '"') return parseString();
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("NaN", i)) {
      i += 3;
      return NaN;
    }
    if (text.startsWith("Infinity", i)) {
      i += 8;
      return Infinity;
    }
    if (text.startsWith("-Infinity", i)) {
      i += 9;
      return -Infinity;
    }
    NUM.lastIndex = i;
    const m = NUM.exec(text);
    if (m) {
      i += m[0].length;
      if (m[1] === undefined && m[2] === undefined) return BigInt(m[0]);
      return Number(m[0]);
    }
    return fail("Expecting value");
  };
  const value = parseValue(0);
  ws();
  if (i < n) fail("Extra data");
  return value;
}

// =============================================================================================
// TOML (tomlkit in DVC; smol-toml here: ints as bigint, floats as number)
// =============================================================================================

function tomlToPy(v: unknown, depth: number): PyValue {
  if (depth > MAX_DEPTH) throw new DvcException("maximum recursion depth exceeded");
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint" || typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  if (Array.isArray(v)) return v.map((x) => tomlToPy(x, depth + 1));
  // TOML dates/times: their TOML text (DVC would get Python datetime objects)
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    const m = new Map<string, PyValue>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k, tomlToPy(x, depth + 1));
    return m;
  }
  return String(v);
}

export function parseTomlText(text: string): PyValue {
  const doc = parseToml(text, { integersAsBigInt: true, maxDepth: MAX_DEPTH });
  return tomlToPy(doc, 0);
}

// =============================================================================================
// Python (dvc/utils/serialize/_py.py: `ast.parse` + `ast.literal_eval`, never executed)
// =============================================================================================

class PySyntaxError extends Error {}

type PyTok =
  | { t: "NAME"; v: string }
  | { t: "NUMBER"; v: string }
  | { t: "STRING"; kind: "str" | "bytes" | "fstr"; value?: string }
  | { t: "OP"; v: string }
  | { t: "NEWLINE" }
  | { t: "INDENT" }
  | { t: "DEDENT" }
  | { t: "END" };

const OPS3 = ["**=", "//=", ">>=", "<<=", "..."];
const OPS2 = ["->", ":=", "==", "!=", "<=", ">=", "**", "//", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="];
const OPS1 = "+-*/%@&|^~<>()[]{},:;.=";
const ID_START = /[\p{L}\p{Nl}_\u1885\u1886\u2118\u212e\u309b\u309c]/u;
const ID_CONTINUE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_\u00b7\u0387\u1369-\u1371\u19da\u200c\u200d]/u;

/** One-character escapes shared by JSON and Python string literals. */
const CONTROL_ESCAPES: [string, string][] = [
  ["b", "\b"],
  ["f", "\f"],
  ["n", "\n"],
  ["r", "\r"],
  ["t", "\t"],
];
const JSON_ESCAPES = new Map<string | undefined, string>([...CONTROL_ESCAPES, ['"', '"'], ["\\", "\\"], ["/", "/"]]);
/** Python's simple escapes; a backslash-newline continues the line (nothing is added). */
const PY_ESCAPES = new Map<string | undefined, string>([...CONTROL_ESCAPES, ["\\", "\\"], ["'", "'"], ['"', '"'], ["a", "\x07"], ["v", "\v"], ["\n", ""]]);

function decodePyEscapes(body: string, bytes: boolean): string | undefined {
  let out = "";
  for (let j = 0; j < body.length; j++) {
    const ch = body[j];
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const e = body[j + 1];
    j++;
    const simple = PY_ESCAPES.get(e);
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    switch (e) {
      case "x": {
        const hex = body.slice(j + 1, j + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new PySyntaxError("truncated \\xXX escape");
        out += String.fromCharCode(parseInt(hex, 16));
        j += 2;
        break;
      }
      case "u":
      case "U": {
        if (bytes) {
          out += "\\" + e;
          break;
        }
        const len = e === "u" ? 4 : 8;
        const hex = body.slice(j + 1, j + 1 + len);
        if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw new PySyntaxError("truncated \\uXXXX escape");
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) throw new PySyntaxError("illegal Unicode character");
        out += String.fromCodePoint(cp);
        j += len;
        break;
      }
      case "N":
        if (bytes) {
          out += "\\N";
          break;
        }
        // \N{NAME} needs the Unicode name table: the value cannot be known here
        return undefined;
      default:
        if (e !== undefined && /[0-7]/.test(e)) {
          let k = j;
          let oct = "";
          while (k < body.length && oct.length < 3 && /[0-7]/.test(body[k])) oct += body[k++];
          out += String.fromCodePoint(parseInt(oct, 8));
          j = k - 1;
        } else {
          out += "\\" + (e ?? "");
        }
    }
  }
  return out;
}

function tokenizePython(src: string): PyTok[] {
  const s = src;
  const n = s.length;
  const toks: PyTok[] = [];
  const indents = [0];
  let i = 0;
  let depth = 0;
  let atLineStart = true;
  const last = () => toks[toks.length - 1];
  const newline = () => {
    const l = last();
    if (l && l.t !== "NEWLINE" && l.t !== "INDENT" && l.t !== "DEDENT") toks.push({ t: "NEWLINE" });
  };

  // scan a string literal starting at the quote `q`; returns the index after it
  const scanString = (start: number, prefix: string, emit = true): number => {
    const p = prefix.toLowerCase();
    const raw = p.includes("r");
    const bytes = p.includes("b");
    const fstr = p.includes("f");
    const q = s[start];
    const triple = s.startsWith(q + q + q, start);
    const ql = triple ? 3 : 1;
    let j = start + ql;
    let braces = 0;
    for (;;) {
      if (j >= n) throw new PySyntaxError("unterminated string literal");
      const ch = s[j];
      if (fstr && braces > 0) {
        // inside a replacement field: nested strings and brackets
        if (ch === "'" || ch === '"') {
          j = scanString(j, "", false);
          continue;
        }
        if (ch === "{" || ch === "[" || ch === "(") braces++;
        else if (ch === "}" || ch === "]" || ch === ")") braces--;
        else if (ch === "\n" && !triple) throw new PySyntaxError("unterminated string literal");
        j++;
        continue;
      }
      if (ch === "\\") {
        j += 2;
        continue;
      }
      if (fstr && ch === "{") {
        if (s[j + 1] === "{") j += 2;
        else {
          braces = 1;
          j++;
        }
        continue;
      }
      if (!triple && ch === "\n") throw new PySyntaxError("unterminated string literal");
      if (s.startsWith(triple ? q + q + q : q, j)) {
        const body = s.slice(start + ql, j);
        let value: string | undefined;
        if (!fstr) {
          if (bytes && /[^\x00-\x7f]/.test(body)) throw new PySyntaxError("bytes can only contain ASCII literal characters");
          value = raw ? body : decodePyEscapes(body, bytes);
        }
        if (emit) toks.push({ t: "STRING", kind: fstr ? "fstr" : bytes ? "bytes" : "str", value });
        return j + ql;
      }
      j++;
    }
  };

  while (i < n) {
    if (atLineStart && depth === 0) {
      let col = 0;
      let j = i;
      for (; j < n; j++) {
        const c = s[j];
        if (c === " ") col++;
        else if (c === "\t") col = Math.floor(col / 8) * 8 + 8;
        else if (c === "\f") col = 0;
        else break;
      }
      if (j >= n) {
        i = j;
        break;
      }
      if (s[j] === "\n") {
        i = j + 1;
        continue;
      }
      if (s[j] === "#") {
        while (j < n && s[j] !== "\n") j++;
        i = j + 1;
        continue;
      }
      if (s[j] === "\\" && s[j + 1] === "\n") {
        i = j + 2;
        continue;
      }
      const top = indents[indents.length - 1];
      if (col > top) {
        indents.push(col);
        toks.push({ t: "INDENT" });
      } else if (col < top) {
        while (indents[indents.length - 1] > col) {
          indents.pop();
          toks.push({ t: "DEDENT" });
        }
        if (indents[indents.length - 1] !== col) throw new PySyntaxError("unindent does not match any outer indentation level");
      }
      atLineStart = false;
      i = j;
    }
    const c = s[i];
    if (c === " " || c === "\t" || c === "\f") {
      i++;
      continue;
    }
    if (c === "\n") {
      if (depth === 0) {
        newline();
        atLineStart = true;
      }
      i++;
      continue;
    }
    if (c === "#") {
      while (i < n && s[i] !== "\n") i++;
      continue;
    }
    if (c === "\\") {
      if (s[i + 1] === "\n") {
        i += 2;
        continue;
      }
      throw new PySyntaxError("unexpected character after line continuation character");
    }
    // string with an optional prefix
    const pm = /^([rRbBuUfF]{0,2})['"]/.exec(s.slice(i, i + 3));
    if (pm) {
      const p = pm[1].toLowerCase();
      if (["", "r", "u", "b", "f", "br", "rb", "fr", "rf"].includes(p)) {
        i = scanString(i + pm[1].length, pm[1]);
        continue;
      }
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (ID_START.test(ch)) {
      let j = i + ch.length;
      while (j < n) {
        const d = String.fromCodePoint(s.codePointAt(j)!);
        if (!ID_CONTINUE.test(d)) break;
        j += d.length;
      }
      toks.push({ t: "NAME", v: s.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(s[i + 1] ?? ""))) {
      let j = i;
      const radix = /^0[xXoObB]/.test(s.slice(i, i + 2));
      while (j < n && /[0-9A-Za-z_.]/.test(s[j])) {
        j++;
        if (!radix && /[eE]/.test(s[j - 1]) && (s[j] === "+" || s[j] === "-")) j++;
      }
      toks.push({ t: "NUMBER", v: s.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPS3.find((o) => s.startsWith(o, i)) ?? OPS2.find((o) => s.startsWith(o, i)) ?? (OPS1.includes(c) ? c : undefined);
    if (op === undefined) throw new PySyntaxError(`invalid character '${ch}'`);
    if (op === "(" || op === "[" || op === "{") depth++;
    else if (op === ")" || op === "]" || op === "}") {
      if (depth === 0) throw new PySyntaxError(`unmatched '${op}'`);
      depth--;
    }
    toks.push({ t: "OP", v: op });
    i += op.length;
  }
  if (depth > 0) throw new PySyntaxError("'(' was never closed");
  newline();
  while (indents.length > 1) {
    indents.pop();
    toks.push({ t: "DEDENT" });
  }
  toks.push({ t: "END" });
  return toks;
}

/** A Python number literal's value; undefined for complex; throws for invalid literals. */
function pyNumber(text: string): bigint | number | undefined {
  const digitpart = "[0-9](?:_?[0-9])*";
  if (/^0[xX](?:_?[0-9a-fA-F])+$/.test(text)) return BigInt("0x" + text.slice(2).replace(/_/g, ""));
  if (/^0[oO](?:_?[0-7])+$/.test(text)) return BigInt("0o" + text.slice(2).replace(/_/g, ""));
  if (/^0[bB](?:_?[01])+$/.test(text)) return BigInt("0b" + text.slice(2).replace(/_/g, ""));
  if (/^(?:[1-9](?:_?[0-9])*|0+(?:_?0)*)$/.test(text)) return BigInt(text.replace(/_/g, ""));
  const exponent = `[eE][+-]?${digitpart}`;
  const point = `(?:(?:${digitpart})?\\.${digitpart}|${digitpart}\\.)`;
  const float = new RegExp(`^(?:${point}(?:${exponent})?|${digitpart}${exponent})$`);
  if (float.test(text)) return Number(text.replace(/_/g, ""));
  if (new RegExp(`^(?:${point}(?:${exponent})?|${digitpart}${exponent}|${digitpart})[jJ]$`).test(text)) return undefined;
  throw new PySyntaxError("invalid decimal literal");
}

/** Thrown when an expression is not something `ast.literal_eval` (and PyValue) can give. */
class NotLiteral extends Error {}

/** `ast.literal_eval` over the tokens of one expression. */
function literalEval(toks: PyTok[]): PyValue {
  let i = 0;
  const peek = (): PyTok | undefined => toks[i];
  const isOp = (t: PyTok | undefined, v: string): boolean => t !== undefined && t.t === "OP" && t.v === v;
  const no = (): never => {
    throw new NotLiteral();
  };

  const number = (t: PyTok, negate: boolean): PyValue => {
    if (t.t !== "NUMBER") return no();
    const v = pyNumber(t.v);
    if (v === undefined) return no(); // complex
    // `1 + 2j` (complex) is the only binary operation literal_eval accepts
    if ((isOp(peek(), "+") || isOp(peek(), "-")) && toks[i + 1]?.t === "NUMBER") no();
    if (!negate) return v;
    return -v;
  };

  const items = (close: string): PyValue[] => {
    const out: PyValue[] = [];
    while (!isOp(peek(), close)) {
      out.push(expr(0));
      if (isOp(peek(), ",")) i++;
      else if (!isOp(peek(), close)) no();
    }
    i++;
    return out;
  };

  const expr = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) no();
    const t = toks[i++];
    if (t === undefined) return no();
    if (t.t === "OP" && (t.v === "-" || t.v === "+")) {
      const nt = toks[i++];
      if (nt === undefined) return no();
      return number(nt, t.v === "-");
    }
    if (t.t === "NUMBER") return number(t, false);
    if (t.t === "STRING") {
      let kind = t.kind;
      let value = t.value;
      while (peek()?.t === "STRING") {
        const nt = toks[i++] as Extract<PyTok, { t: "STRING" }>;
        if (kind === "fstr" || nt.kind === "fstr") kind = "fstr";
        else if (kind !== nt.kind) throw new PySyntaxError("cannot mix bytes and nonbytes literals");
        value = value === undefined || nt.value === undefined ? undefined : value + nt.value;
      }
      if (kind !== "str" || value === undefined) return no();
      return value;
    }
    if (t.t === "NAME") {
      if (t.v === "True") return true;
      if (t.v === "False") return false;
      if (t.v === "None") return null;
      if (t.v === "set" && isOp(peek(), "(") && isOp(toks[i + 1], ")")) {
        i += 2;
        return [];
      }
      return no();
    }
    if (t.t === "OP" && t.v === "(") {
      if (isOp(peek(), ")")) {
        i++;
        return [];
      }
      const first = expr(depth + 1);
      if (isOp(peek(), ")")) {
        i++;
        return first;
      }
      if (!isOp(peek(), ",")) no();
      i++;
      return [first, ...items(")")];
    }
    if (t.t === "OP" && t.v === "[") return items("]");
    if (t.t === "OP" && t.v === "{") {
      if (isOp(peek(), "}")) {
        i++;
        return new Map();
      }
      if (isOp(peek(), "**")) no();
      const first = expr(depth + 1);
      if (isOp(peek(), ":")) {
        const m = new Map<string, PyValue>();
        const put = (k: PyValue, v: PyValue) => {
          if (typeof k === "string") m.set(k, v);
          else if (k !== null && typeof k === "object" && !Array.isArray(k)) no();
          else {
            const ks = k === null ? "None" : typeof k === "boolean" ? (k ? "True" : "False") : String(k);
            m.set(ks, v);
            setRawKey(m, ks, k);
          }
        };
        i++;
        put(first, expr(depth + 1));
        for (;;) {
          if (isOp(peek(), "}")) {
            i++;
            return m;
          }
          if (!isOp(peek(), ",")) no();
          i++;
          if (isOp(peek(), "}")) {
            i++;
            return m;
          }
          if (isOp(peek(), "**")) no();
          const k = expr(depth + 1);
          if (!isOp(peek(), ":")) no();
          i++;
          put(k, expr(depth + 1));
        }
      }
      // a set: kept as a list of its distinct items in source order
      const vals = [first];
      if (isOp(peek(), ",")) {
        i++;
        vals.push(...items("}"));
      } else if (isOp(peek(), "}")) i++;
      else no();
      const seen = new Set<string>();
      return vals.filter((v) => {
        const key = typeof v + ":" + String(v);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    return no();
  };

  // the value of an assignment may be a bare tuple: `X = 1, 2`
  const first = expr(0);
  let value: PyValue = first;
  if (isOp(peek(), ",")) {
    const tuple: PyValue[] = [first];
    while (isOp(peek(), ",")) {
      i++;
      if (i >= toks.length) break;
      tuple.push(expr(0));
    }
    value = tuple;
  }
  if (i !== toks.length) no();
  return value;
}

type PyStmt = { kind: "simple"; toks: PyTok[] } | { kind: "compound"; header: PyTok[]; body: PyStmt[] };

const COMPOUND = new Set(["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "def", "class", "async"]);

function parseStatements(toks: PyTok[]): PyStmt[] {
  let i = 0;
  const splitSimple = (line: PyTok[]): PyStmt[] => {
    const out: PyStmt[] = [];
    let cur: PyTok[] = [];
    let d = 0;
    for (const t of line) {
      if (t.t === "OP") {
        if ("([{".includes(t.v)) d++;
        else if (")]}".includes(t.v)) d--;
        else if (t.v === ";" && d === 0) {
          if (cur.length) out.push({ kind: "simple", toks: cur });
          cur = [];
          continue;
        }
      }
      cur.push(t);
    }
    if (cur.length) out.push({ kind: "simple", toks: cur });
    return out;
  };
  const block = (level: number): PyStmt[] => {
    if (level > MAX_DEPTH) throw new PySyntaxError("too many statically nested blocks");
    const out: PyStmt[] = [];
    for (;;) {
      const t = toks[i];
      if (t === undefined || t.t === "END" || t.t === "DEDENT") return out;
      if (t.t === "NEWLINE") {
        i++;
        continue;
      }
      if (t.t === "INDENT") throw new PySyntaxError("unexpected indent");
      const line: PyTok[] = [];
      while (i < toks.length && toks[i].t !== "NEWLINE" && toks[i].t !== "END") line.push(toks[i++]);
      if (toks[i]?.t === "NEWLINE") i++;
      const head = line[0];
      const lastTok = line[line.length - 1];
      const soft =
        head.t === "NAME" && (head.v === "match" || head.v === "case") && lastTok.t === "OP" && lastTok.v === ":" && toks[i]?.t === "INDENT";
      if ((head.t === "NAME" && COMPOUND.has(head.v)) || soft) {
        let d = 0;
        let colon = -1;
        for (let k = 0; k < line.length; k++) {
          const x = line[k];
          if (x.t !== "OP") continue;
          if ("([{".includes(x.v)) d++;
          else if (")]}".includes(x.v)) d--;
          else if (x.v === ":" && d === 0) {
            colon = k;
            break;
          }
        }
        if (colon < 0) throw new PySyntaxError("expected ':'");
        const header = line.slice(0, colon);
        const rest = line.slice(colon + 1);
        let body: PyStmt[];
        if (rest.length) body = splitSimple(rest);
        else {
          if (toks[i]?.t !== "INDENT") throw new PySyntaxError("expected an indented block");
          i++;
          body = block(level + 1);
          if (toks[i]?.t === "DEDENT") i++;
        }
        out.push({ kind: "compound", header, body });
        continue;
      }
      out.push(...splitSimple(line));
    }
  };
  const stmts = block(0);
  if (toks[i]?.t === "DEDENT") throw new PySyntaxError("unexpected unindent");
  return stmts;
}

/** dvc `_get_ast_name`: the name of an assignment target, or undefined when not extracted. */
function targetName(toks: PyTok[], onlySelf: boolean): string | undefined {
  if (toks.length === 1 && toks[0].t === "NAME" && !onlySelf) return toks[0].v;
  if (toks.length === 3 && toks[0].t === "NAME" && toks[0].v === "self" && toks[1].t === "OP" && toks[1].v === "." && toks[2].t === "NAME") return toks[2].v;
  return undefined;
}

/** dvc `_ast_assign_to_dict` for one simple statement; undefined when skipped. */
function assignment(toks: PyTok[], onlySelf: boolean): [string, PyValue] | undefined {
  const parts: PyTok[][] = [[]];
  let d = 0;
  for (const t of toks) {
    if (t.t === "OP") {
      if ("([{".includes(t.v)) d++;
      else if (")]}".includes(t.v)) d--;
      else if (t.v === "=" && d === 0) {
        parts.push([]);
        continue;
      }
    }
    parts[parts.length - 1].push(t);
  }
  if (parts.length !== 2) return undefined; // no assignment, or several targets
  let target = parts[0];
  const colon = target.findIndex((t) => t.t === "OP" && t.v === ":");
  if (colon >= 0) target = target.slice(0, colon); // annotated assignment
  const name = targetName(target, onlySelf);
  if (name === undefined || parts[1].length === 0) return undefined;
  try {
    return [name, literalEval(parts[1])];
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
}

function pyBodyToDict(body: PyStmt[], onlySelf: boolean, depth: number): Map<string, PyValue> {
  if (depth > MAX_DEPTH) throw new PySyntaxError("too many statically nested blocks");
  const result = new Map<string, PyValue>();
  for (const st of body) {
    if (st.kind === "simple") {
      const kv = assignment(st.toks, onlySelf);
      if (kv) result.set(kv[0], kv[1]);
      continue;
    }
    const [kw, name] = st.header;
    if (kw.t === "NAME" && kw.v === "class" && name?.t === "NAME") {
      result.set(name.v, pyBodyToDict(st.body, false, depth + 1));
    } else if (kw.t === "NAME" && kw.v === "def" && name?.t === "NAME" && name.v === "__init__") {
      for (const [k, v] of pyBodyToDict(st.body, true, depth + 1)) result.set(k, v);
    }
  }
  return result;
}

/**
 * Parse a Python params file without running it: module-level `NAME = <literal>` (and
 * annotated) assignments, class bodies as nested dicts, and `self.x = <literal>` inside
 * `__init__`. Anything else is skipped. Throws on what is clearly a syntax error.
 */
export function parsePython(text: string): Map<string, PyValue> {
  if (text.startsWith("\uFEFF")) throw new PySyntaxError("invalid non-printable character U+FEFF");
  try {
    return pyBodyToDict(parseStatements(tokenizePython(text)), false, 0);
  } catch (e) {
    if (e instanceof RangeError) throw new PySyntaxError("too many nested parentheses");
    throw e;
  }
}
