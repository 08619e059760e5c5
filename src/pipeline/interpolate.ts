// `${...}` templating primitives (dvc/parsing/interpolate.py): finding placeholders, parsing
// their inner expression with the grammar and error text of DVC's pyparsing parser, turning
// values into text the way DVC does (including dict unpacking for `cmd`), and the type checks.

import { DvcException } from "../errors.js";
import { pyStr, pyTypeName, strRepr, type PyValue, expandTabs } from "../util/py.js";

/** The `parsing` section of DVC's config. */
export interface ParsingConfig {
  list?: "nargs" | "append";
  bool?: "store_true" | "boolean_optional";
}

/**
 * A `${}` expression that does not parse (dvc.parsing.interpolate.ParseError), or a value that
 * cannot be interpolated. Errors of this class are reported after a newline.
 */
export class ParseError extends DvcException {}

/** One `${...}` placeholder found in a string. */
export interface PlaceholderMatch {
  /** Offset of `$` in the string. */
  start: number;
  /** Offset just after the closing `}`. */
  end: number;
  /** The text between `${` and `}`. */
  inner: string;
}

// KEYCRE: `(?<!\\)\${(?P<inner>.*?)}` — Python's `.` matches anything but `\n`.
const KEYCRE = /(?<!\\)\$\{([^\n]*?)\}/g;

/** All placeholders of a string, left to right (Python `KEYCRE.finditer`). */
export function getMatches(template: string): PlaceholderMatch[] {
  if (!template.includes("${")) return [];
  const out: PlaceholderMatch[] = [];
  KEYCRE.lastIndex = 0;
  for (let m = KEYCRE.exec(template); m !== null; m = KEYCRE.exec(template)) {
    out.push({ start: m.index, end: m.index + m[0].length, inner: m[1] });
  }
  return out;
}

/** A string containing at least one placeholder. */
export function isInterpolatedString(v: unknown): v is string {
  return typeof v === "string" && getMatches(v).length > 0;
}

/** The whole string is one placeholder (`"${x}"`): its value keeps its type. */
export function isExactString(src: string, matches: PlaceholderMatch[]): boolean {
  return matches.length === 1 && matches[0].start === 0 && matches[0].end === src.length;
}

/** `a[b][0]` -> `a.b.0` (brackets become dots). */
export function normalizeKey(key: string): string {
  return key.replace(/\[/g, ".").replace(/\]/g, "");
}


// pyparsing's `_exception_word_extractor`: up to 16 Latin-1 alphanumerics, or one character.
const LATIN1_ALNUM = "0-9A-Za-z\u00aa\u00b2\u00b3\u00b5\u00b9\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff";
const WORD_EXTRACTOR = new RegExp(`^(?:[${LATIN1_ALNUM}]{1,16}|[^\\n])`, "u");
const PP_WHITESPACE = " \n\t\r";

/** pyparsing's message for a failed parse of the embraced string, as DVC prints it. */
function parseErrorText(expanded: string, loc: number, expected: string): string {
  // DVC moves the location by 2 and puts the expression back between `${` and `}`.
  const cps = Array.from("${" + expanded + "}");
  const pstr = cps.join("");
  const at = loc + 2;
  let found: string;
  if (at >= cps.length) found = "end of text";
  else {
    const rest = cps.slice(at).join("");
    const m = WORD_EXTRACTOR.exec(rest);
    const text = m ? m[0] : cps[at];
    found = strRepr(text).replace(/\\\\/g, "\\");
  }
  const before = cps.slice(0, at);
  const lineno = before.filter((c) => c === "\n").length + 1;
  const lastNl = before.lastIndexOf("\n");
  const column = at > 0 && at < cps.length && cps[at - 1] === "\n" ? 1 : at - lastNl;
  const pointer = " ".repeat(column - 1) + "^";
  const msg = `ParseException: ${expected}, found ${found}  (at char ${at}), (line:${lineno}, col:${column})`;
  return [pstr, pointer, msg].join("\n");
}

/**
 * Parse the inner text of a placeholder with DVC's grammar
 * `word ( "." word | "[" word "]" )*` (word = one or more characters other than `.[]`),
 * returning the segments joined with dots. Throws ParseError with pyparsing's text.
 */
export function parseExpr(inner: string): string {
  const s = Array.from(expandTabs(inner));
  const n = s.length;
  const isWordChar = (c: string) => c !== "." && c !== "[" && c !== "]";
  const wordEnd = (i: number) => {
    let j = i;
    while (j < n && isWordChar(s[j])) j++;
    return j;
  };
  const skipWs = (i: number) => {
    let j = i;
    while (j < n && PP_WHITESPACE.includes(s[j])) j++;
    return j;
  };
  let i = wordEnd(0);
  if (i === 0) throw new ParseError(parseErrorText(s.join(""), 0, "Expected !W:(.[])"));
  const words = [s.slice(0, i).join("")];
  for (;;) {
    const j = skipWs(i);
    if (j < n && s[j] === ".") {
      const e = wordEnd(j + 1);
      if (e === j + 1) break;
      words.push(s.slice(j + 1, e).join(""));
      i = e;
      continue;
    }
    if (j < n && s[j] === "[") {
      const e = wordEnd(j + 1);
      if (e === j + 1) break;
      const k = skipWs(e);
      if (k >= n || s[k] !== "]") break;
      words.push(s.slice(j + 1, e).join(""));
      i = k + 1;
      continue;
    }
    break;
  }
  const end = skipWs(i);
  if (end < n) throw new ParseError(parseErrorText(s.join(""), end, "Expected end of text"));
  return words.join(".");
}

/** The expression of a placeholder: parsed (normalised to dots) unless checks are skipped. */
export function getExpression(match: PlaceholderMatch, skipChecks = false): string {
  return skipChecks ? match.inner : parseExpr(match.inner);
}

/** Check every placeholder of a string parses (dvc `check_expression`). */
export function checkExpression(s: string): void {
  for (const m of getMatches(s)) getExpression(m);
}

// shlex.quote's safe characters (ASCII `\w` plus `@%+=:,./-`).
const SHLEX_UNSAFE = /[^A-Za-z0-9_@%+=:,./-]/;

/** Python `shlex.quote`. */
export function shlexQuote(s: string): string {
  if (s === "") return "''";
  if (!SHLEX_UNSAFE.test(s)) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

function isDict(v: unknown): v is Map<string, PyValue> | { [k: string]: PyValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function dictEntries(v: Map<string, PyValue> | { [k: string]: PyValue }): [string, PyValue][] {
  return v instanceof Map ? [...v.entries()] : Object.entries(v);
}

/** flatten_dict.flatten(d, reducer="dot"): nested dicts flattened, empty dicts dropped. */
function flattenDot(d: Map<string, PyValue> | { [k: string]: PyValue }): Map<string, PyValue> {
  const out = new Map<string, PyValue>();
  const rec = (cur: Map<string, PyValue> | { [k: string]: PyValue }, parent: string | null, depth: number): void => {
    if (depth > 1000) throw new ParseError("maximum recursion depth exceeded");
    for (const [k, v] of dictEntries(cur)) {
      const flat = parent === null ? k : `${parent}.${k}`;
      if (isDict(v)) {
        rec(v, flat, depth + 1);
        continue;
      }
      if (out.has(flat)) throw new ParseError(`duplicated key '${flat}'`);
      out.set(flat, v);
    }
  };
  rec(d, null, 0);
  return out;
}

/** dvc `to_str(dict)`: unpack a dict into `--key value` command-line arguments. */
export function dictToArgs(obj: Map<string, PyValue> | { [k: string]: PyValue }, config?: ParsingConfig): string {
  const boolOpt = config?.bool ?? "store_true";
  const listOpt = config?.list ?? "nargs";
  let result = "";
  for (const [k, v] of flattenDot(obj)) {
    if (typeof v === "boolean") {
      if (v) result += `--${k} `;
      else if (boolOpt === "boolean_optional") result += `--no-${k} `;
    } else if (typeof v === "string") {
      result += `--${k} ${shlexQuote(v)} `;
    } else if (Array.isArray(v)) {
      v.forEach((item, n) => {
        let text: string;
        if (typeof item === "string") text = shlexQuote(item);
        else if (item !== null && typeof item === "object") throw new ParseError(`Cannot interpolate nested iterable in '${k}'`);
        else text = pyStr(item);
        if (listOpt === "append") result += `--${k} ${text} `;
        else result += n > 0 ? `${text} ` : `--${k} ${text} `;
      });
    } else {
      result += `--${k} ${pyStr(v)} `;
    }
  }
  return result.replace(/\s+$/, "");
}

/** dvc `to_str`: bools as `true`/`false`, dicts unpacked, anything else Python `str`. */
export function toStr(value: PyValue, config?: ParsingConfig): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (isDict(value)) return dictToArgs(value, config);
  return pyStr(value);
}

/**
 * dvc `validate_value`: while resolving a stage field (`key` set, not `foreach`), lists and
 * dicts cannot be interpolated — except a dict in `cmd`, which is unpacked.
 */
export function validateValue(value: PyValue, key: string | undefined): void {
  const notPrimitive = value !== null && typeof value === "object";
  const notForeach = key !== undefined && !key.includes("foreach");
  if (notPrimitive && notForeach) {
    if (isDict(value) && key === "cmd") return;
    throw new ParseError(`Cannot interpolate data of type '${pyTypeName(value)}'`);
  }
}

/**
 * dvc `str_interpolate`: replace every placeholder by the text of its value (`select` looks a
 * dotted key up), then turn the escaped `\${` into `${`.
 */
export function strInterpolate(
  template: string,
  matches: PlaceholderMatch[],
  select: (expr: string) => PyValue,
  opts: { skipChecks?: boolean; key?: string; config?: ParsingConfig } = {},
): string {
  let index = 0;
  let buf = "";
  for (const m of matches) {
    const expr = getExpression(m, opts.skipChecks);
    const value = select(expr);
    validateValue(value, opts.key);
    buf += template.slice(index, m.start) + toStr(value, opts.config);
    index = m.end;
  }
  buf += template.slice(index);
  return buf.split("\\${").join("${");
}
