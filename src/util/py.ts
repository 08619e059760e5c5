// Python-compatible formatting: the one place where values become text the way DVC (CPython)
// writes them. Ints are carried as bigint, floats as number, so `1` and `1.0` stay distinct.

/** Compare two strings by Unicode code point (Python str order), not UTF-16 code unit. */
export function cmpCodepoint(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800-0xDFFF) encode code points above 0xFFFF, which must sort after
    // every BMP character, including those in 0xE000-0xFFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Python `repr(float)`. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const e = n.toExponential(); // shortest round-trip digits, e.g. "-1.2345e+2"
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e);
  if (!m) return String(n);
  const sign = m[1];
  const digits = m[2] + (m[3] ?? "");
  const exp = Number(m[4]);
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = exp < 0 ? "-" : "+";
    const ea = String(Math.abs(exp)).padStart(2, "0");
    return `${sign}${mant}e${es}${ea}`;
  }
  let out: string;
  if (exp >= 0) {
    if (digits.length <= exp + 1) out = digits + "0".repeat(exp + 1 - digits.length) + ".0";
    else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    out = `0.${"0".repeat(-exp - 1)}${digits}`;
  }
  return sign + out;
}

/** A Python value as DVC sees it after loading YAML/JSON/TOML/Python literals. */
export type PyValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | PyValue[]
  | Map<string, PyValue>
  | { [k: string]: PyValue };

/** Python `type(v).__name__` of a plain value. */
export function pyTypeName(v: PyValue | undefined): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return "float";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  return "dict";
}

function isPlainObject(v: unknown): v is { [k: string]: PyValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Map);
}

function entriesOf(v: Map<string, PyValue> | { [k: string]: PyValue }): [string, PyValue][] {
  return v instanceof Map ? [...v.entries()] : Object.entries(v);
}

const JSON_ESC: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/** Python `json.dumps(s)` for a string (ensure_ascii=True). */
export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    const esc = JSON_ESC[ch];
    if (esc !== undefined) out += esc;
    else if (c < 0x20 || c > 0x7e) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/** Python `json.dumps(value, sort_keys=...)` with default separators and ensure_ascii. */
export function jsonDumps(value: PyValue, opts: { sortKeys?: boolean } = {}): string {
  const sortKeys = opts.sortKeys ?? false;
  const rec = (v: PyValue): string => {
    if (v === null) return "null";
    if (v === true) return "true";
    if (v === false) return "false";
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "number") {
      if (Number.isNaN(v)) return "NaN";
      if (v === Infinity) return "Infinity";
      if (v === -Infinity) return "-Infinity";
      return floatRepr(v);
    }
    if (typeof v === "string") return jsonString(v);
    if (Array.isArray(v)) return "[" + v.map(rec).join(", ") + "]";
    let ents = entriesOf(v);
    if (sortKeys) ents = ents.slice().sort((a, b) => cmpCodepoint(a[0], b[0]));
    return "{" + ents.map(([k, x]) => jsonString(k) + ": " + rec(x)).join(", ") + "}";
  };
  return rec(value);
}

/** Python `repr(str)`. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c >= 0x80 && c < 0xa0) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

/** Python `repr(value)`. */
export function pyRepr(v: PyValue): string {
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return floatRepr(v);
  if (typeof v === "string") return strRepr(v);
  if (Array.isArray(v)) return "[" + v.map(pyRepr).join(", ") + "]";
  if (isPlainObject(v) || v instanceof Map) {
    return "{" + entriesOf(v).map(([k, x]) => strRepr(k) + ": " + pyRepr(x)).join(", ") + "}";
  }
  return String(v);
}

/** Python `str(value)`. */
export function pyStr(v: PyValue): string {
  return typeof v === "string" ? v : pyRepr(v);
}

/** Python `str.expandtabs(size)`: columns restart after `\n` and `\r`. */
export function expandTabs(s: string, size = 8): string {
  if (!s.includes("\t")) return s;
  let out = "";
  let col = 0;
  for (const ch of s) {
    if (ch === "\t") {
      const n = size - (col % size);
      out += " ".repeat(n);
      col += n;
    } else if (ch === "\n" || ch === "\r") {
      out += ch;
      col = 0;
    } else {
      out += ch;
      col += 1;
    }
  }
  return out;
}
