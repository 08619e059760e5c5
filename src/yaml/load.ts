// YAML loading as DVC does it, and DVC's error report for a file that fails to load.
//
// DVC parses its YAML files with ruamel.yaml: the C parser (libyaml, the copy bundled with
// ruamel.yaml.clib) decides what is a syntax error and words the message; ruamel's Python
// constructor applies the YAML 1.2 core schema and rejects duplicate keys. So loading here is
// done in two steps:
//   1. `checkSyntax` runs a port of libyaml's scanner and parser (plus the composer's checks)
//      over the text; it produces nothing but libyaml's error, with libyaml's wording and marks;
//   2. the `yaml` package builds the document, and `Builder` turns it into the model: scalars
//      resolved with ruamel's YAML 1.2 rules (ints as bigint, floats as number, `yes` stays a
//      string), `<<` merges applied, duplicate keys rejected the way ruamel words it, and the
//      comments and positions of the source kept on the model for round-trips.
// `formatYamlError` renders the report DVC prints (`'./dvc.yaml' is invalid.` + snippets).

import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type Pair as YamlPair,
  type Scalar as YamlScalar,
  type YAMLMap as YamlMap,
  type YAMLSeq as YamlSeq,
} from "yaml";
import { floatRepr, strRepr, expandTabs, type PyValue } from "../util/py.js";
import { DvcException } from "../errors.js";
import { pySplitlines, cellWidth, cellLen, chopCells, wrapText, wrapLine, rstripEnd } from "../util/rich.js";
import { resolvePlain } from "./emit.js";
import { YamlCache, plainToPy } from "./cache.js";
import { noteYamlCacheMiss } from "../util/run-stats.js";
import { YBlockStr, YMap, YSeq, cloneY, toPy, type YItem, type YNodeMeta, type YPair, type YScalar, type YValue } from "./model.js";

// =============================================================================================
// Errors
// =============================================================================================

/** A position in the source: 0-based line and column (columns count code points). */
export interface YamlMark {
  line: number;
  column: number;
}

/**
 * A YAML file that does not load. Shaped like ruamel's MarkedYAMLError: an optional context
 * ("while parsing a block mapping") with its mark, and the problem with its mark.
 */
export class YamlParseError extends Error {
  readonly context?: string;
  readonly contextMark?: YamlMark;
  readonly problem?: string;
  readonly problemMark?: YamlMark;

  constructor(context: string | undefined, contextMark: YamlMark | undefined, problem: string | undefined, problemMark: YamlMark | undefined) {
    super(describe(context, contextMark, problem, problemMark));
    this.name = "YamlParseError";
    if (context !== undefined) this.context = context;
    if (contextMark !== undefined) this.contextMark = contextMark;
    if (problem !== undefined) this.problem = problem;
    if (problemMark !== undefined) this.problemMark = problemMark;
  }
}

function describe(context?: string, cm?: YamlMark, problem?: string, pm?: YamlMark): string {
  const parts: string[] = [];
  if (context) parts.push(cm ? `${context}, in line ${cm.line + 1}, column ${cm.column + 1}` : context);
  if (problem) parts.push(pm ? `${problem}, in line ${pm.line + 1}, column ${pm.column + 1}` : problem);
  return parts.join("; ") || "invalid YAML";
}

// =============================================================================================
// Error report (dvc/utils/strictyaml.py YAMLSyntaxError.__pretty_exc__, rendered by rich)
// =============================================================================================

export interface FormatOptions {
  /** Console width rich renders to (80 when stderr is not a terminal). */
  width?: number;
  /** Git revision the file was read from (DVC adds " in revision 'abc1234'"). */
  rev?: string;
}

/**
 * The whole report DVC prints for a YAML file that fails to load, every line ending with `\n`:
 *
 *     '<relpath>' is invalid.
 *
 *     While parsing a block mapping, in line 3, column 5
 *       3 │   cmd: echo [unclosed
 *     ...
 *
 * `relpath` is the file relative to the current directory; `./` is put in front of it unless it
 * starts with `..` (DVC's make_relpath). `text` is the file's content.
 */
export function formatYamlError(err: YamlParseError, relpath: string, text: string, opts: FormatOptions = {}): string {
  const width = opts.width ?? 80;
  const source = pySplitlines(normalizeNewlines(text));
  const out: string[] = [];
  const message = (msg: string, mark?: YamlMark): void => {
    const linecol = mark ? `in line ${mark.line + 1}, column ${mark.column + 1}` : "";
    out.push(...wrapText(`${pyCapitalize(msg)}, ${linecol}`, width));
  };
  const code = (mark: YamlMark): void => {
    const line = mark.line + 1;
    out.push(...renderSnippet(line > source.length ? "" : source[line - 1], line, width));
  };

  const { context, contextMark, problem, problemMark } = err;
  if (contextMark !== undefined && context !== undefined) message(context, contextMark);
  if (
    contextMark !== undefined &&
    (problem === undefined ||
      problemMark === undefined ||
      contextMark.line !== problemMark.line ||
      contextMark.column !== problemMark.column)
  ) {
    code(contextMark);
    out.push("");
  }
  if (problem !== undefined) message(problem, problemMark);
  if (problemMark !== undefined) code(problemMark);
  if (out.length) out.unshift("");

  const hint = /^[<=>]{7} .*$/m.test(text) ? " (possible merge conflicts)" : "";
  const revMsg = opts.rev ? ` in revision '${opts.rev.slice(0, 7)}'` : "";
  out.unshift(...wrapText(`'${makeRelpath(relpath)}' is invalid${hint}${revMsg}.`, width));
  return out.map((l) => l + "\n").join("");
}

function makeRelpath(p: string): string {
  if (p.startsWith("..") || p.startsWith("./") || p.startsWith("/")) return p;
  return "./" + p;
}

/** Python `str.capitalize()`: first character upper-cased, the rest lower-cased. */
function pyCapitalize(s: string): string {
  if (!s) return s;
  const first = String.fromCodePoint(s.codePointAt(0)!);
  return first.toUpperCase() + s.slice(first.length).toLowerCase();
}

/** rich `Syntax` with line numbers: one source line as DVC's report shows it. */
function renderSnippet(code: string, lineNo: number, width: number): string[] {
  const numbersWidth = String(lineNo).length + 2;
  const codeWidth = width - numbersWidth - 1;
  const expanded = expandTabs(code, 4);
  const guided = withIndentGuides(expanded, 4);
  const pieces = guided === "" ? [""] : wrapText(guided, codeWidth);
  return pieces.map((piece, i) => {
    const prefix = i === 0 ? "  " + String(lineNo).padStart(numbersWidth - 2) + " " : " ".repeat(numbersWidth + 1);
    return prefix + piece + " ".repeat(Math.max(codeWidth - cellLen(piece), 0));
  });
}


/** rich `Text.with_indent_guides` for one line: each full indent level starts with `│`. */
function withIndentGuides(line: string, size: number): string {
  const m = /^( *)(.*)$/su.exec(line);
  if (!m || !m[2]) return line;
  const full = Math.floor(m[1].length / size);
  const rest = m[1].length % size;
  const guide = ("│" + " ".repeat(size - 1)).repeat(full) + " ".repeat(rest);
  return guide + line.slice(guide.length);
}

// =============================================================================================
// libyaml-compatible syntax check (scanner.c / parser.c of the libyaml copy in ruamel.yaml.clib,
// and the composer checks of ruamel.yaml.clib's CParser)
// =============================================================================================

interface Mark {
  index: number;
  line: number;
  column: number;
}

type TokenType =
  | "STREAM-START"
  | "STREAM-END"
  | "VERSION-DIRECTIVE"
  | "TAG-DIRECTIVE"
  | "DOCUMENT-START"
  | "DOCUMENT-END"
  | "BLOCK-SEQUENCE-START"
  | "BLOCK-MAPPING-START"
  | "BLOCK-END"
  | "FLOW-SEQUENCE-START"
  | "FLOW-SEQUENCE-END"
  | "FLOW-MAPPING-START"
  | "FLOW-MAPPING-END"
  | "BLOCK-ENTRY"
  | "FLOW-ENTRY"
  | "KEY"
  | "VALUE"
  | "ALIAS"
  | "ANCHOR"
  | "TAG"
  | "SCALAR";

interface Token {
  type: TokenType;
  start: Mark;
  end: Mark;
  /** Anchor/alias name, tag handle, directive data. */
  value?: string;
  major?: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

const Z = "\0";

function scanError(context: string | undefined, contextMark: Mark | undefined, problem: string, problemMark: Mark): YamlParseError {
  return new YamlParseError(context, contextMark && toYamlMark(contextMark), problem, toYamlMark(problemMark));
}

function toYamlMark(m: Mark): YamlMark {
  return { line: m.line, column: m.column };
}

const isBreakCh = (c: string): boolean => c === "\r" || c === "\n" || c === "\x85" || c === "\u2028" || c === "\u2029";
const isBlankCh = (c: string): boolean => c === " " || c === "\t";
const isBlankZCh = (c: string): boolean => isBlankCh(c) || isBreakCh(c) || c === Z;
const isBreakZCh = (c: string): boolean => isBreakCh(c) || c === Z;
const isAlphaCh = (c: string): boolean => /^[0-9A-Za-z_-]$/.test(c);
const isDigitCh = (c: string): boolean => c >= "0" && c <= "9";
const isHexCh = (c: string): boolean => /^[0-9A-Fa-f]$/.test(c);
const URI_CHARS = ";/?:@&=+$,.!~*'()[]%";

/** Port of libyaml's scanner: only token kinds and marks are produced, not scalar values. */
class Scanner {
  private readonly chars: string[];
  private pos = 0;
  private line = 0;
  private column = 0;

  private readonly tokens: Token[] = [];
  private tokensParsed = 0;
  private streamStartProduced = false;
  private streamEndProduced = false;
  private flowLevel = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];

  constructor(text: string) {
    this.chars = Array.from(text);
  }

  // --- reader ---------------------------------------------------------------------------------

  private ch(k = 0): string {
    return this.chars[this.pos + k] ?? Z;
  }

  private mark(): Mark {
    return { index: this.pos, line: this.line, column: this.column };
  }

  private skip(): void {
    this.pos++;
    this.column++;
  }

  private skipLine(): void {
    if (this.ch() === "\r" && this.ch(1) === "\n") {
      this.pos += 2;
      this.line++;
      this.column = 0;
    } else if (isBreakCh(this.ch())) {
      this.pos++;
      this.line++;
      this.column = 0;
    }
  }

  // --- token queue ----------------------------------------------------------------------------

  peekToken(): Token {
    this.fetchMoreTokens();
    return this.tokens[0];
  }

  nextToken(): Token {
    this.fetchMoreTokens();
    this.tokensParsed++;
    if (this.tokens[0].type === "STREAM-END") this.streamEndProduced = true;
    return this.tokens.shift()!;
  }

  private fetchMoreTokens(): void {
    if (this.streamEndProduced) return;
    for (;;) {
      let need = false;
      if (this.tokens.length === 0) {
        need = true;
      } else {
        this.staleSimpleKeys();
        for (const sk of this.simpleKeys) {
          if (sk.possible && sk.tokenNumber === this.tokensParsed) {
            need = true;
            break;
          }
        }
      }
      if (!need) return;
      this.fetchNextToken();
    }
  }

  private addToken(type: TokenType, start: Mark, end: Mark, extra: Partial<Token> = {}): void {
    this.tokens.push({ type, start, end, ...extra });
  }

  private fetchNextToken(): void {
    if (!this.streamStartProduced) {
      this.indent = -1;
      this.simpleKeyAllowed = true;
      this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.mark() });
      this.streamStartProduced = true;
      this.addToken("STREAM-START", this.mark(), this.mark());
      return;
    }
    this.scanToNextToken();
    this.staleSimpleKeys();
    this.unrollIndent(this.column);
    const c = this.ch();
    if (c === Z) return this.fetchStreamEnd();
    if (this.column === 0 && c === "%") return this.fetchDirective();
    if (this.column === 0 && this.atDocumentIndicator("-")) return this.fetchDocumentIndicator("DOCUMENT-START");
    if (this.column === 0 && this.atDocumentIndicator(".")) return this.fetchDocumentIndicator("DOCUMENT-END");
    if (c === "[") return this.fetchFlowCollectionStart("FLOW-SEQUENCE-START");
    if (c === "{") return this.fetchFlowCollectionStart("FLOW-MAPPING-START");
    if (c === "]") return this.fetchFlowCollectionEnd("FLOW-SEQUENCE-END");
    if (c === "}") return this.fetchFlowCollectionEnd("FLOW-MAPPING-END");
    if (c === ",") return this.fetchFlowEntry();
    if (c === "-" && isBlankZCh(this.ch(1))) return this.fetchBlockEntry();
    if (c === "?" && (this.flowLevel || isBlankZCh(this.ch(1)))) return this.fetchKey();
    if (c === ":" && (this.flowLevel || isBlankZCh(this.ch(1)))) return this.fetchValue();
    if (c === "*") return this.fetchAnchor("ALIAS");
    if (c === "&") return this.fetchAnchor("ANCHOR");
    if (c === "!") return this.fetchTag();
    if ((c === "|" || c === ">") && !this.flowLevel) return this.fetchBlockScalar();
    if (c === "'") return this.fetchFlowScalar(true);
    if (c === '"') return this.fetchFlowScalar(false);
    if (
      !(isBlankZCh(c) || "-?:,[]{}#&*!|>'\"%@`".includes(c)) ||
      (c === "-" && !isBlankCh(this.ch(1))) ||
      (!this.flowLevel && (c === "?" || c === ":") && !isBlankZCh(this.ch(1)))
    ) {
      return this.fetchPlainScalar();
    }
    throw scanError("while scanning for the next token", this.mark(), "found character that cannot start any token", this.mark());
  }

  private atDocumentIndicator(c: string): boolean {
    return this.ch() === c && this.ch(1) === c && this.ch(2) === c && isBlankZCh(this.ch(3));
  }

  // --- simple keys and indentation ------------------------------------------------------------

  private staleSimpleKeys(): void {
    for (const sk of this.simpleKeys) {
      if (sk.possible && (sk.mark.line < this.line || sk.mark.index + 1024 < this.pos)) {
        if (sk.required) {
          throw scanError("while scanning a simple key", sk.mark, "could not find expected ':'", this.mark());
        }
        sk.possible = false;
      }
    }
  }

  private saveSimpleKey(): void {
    const required = !this.flowLevel && this.indent === this.column;
    if (this.simpleKeyAllowed) {
      this.removeSimpleKey();
      this.simpleKeys[this.simpleKeys.length - 1] = {
        possible: true,
        required,
        tokenNumber: this.tokensParsed + this.tokens.length,
        mark: this.mark(),
      };
    }
  }

  private removeSimpleKey(): void {
    const sk = this.simpleKeys[this.simpleKeys.length - 1];
    if (sk.possible && sk.required) {
      throw scanError("while scanning a simple key", sk.mark, "could not find expected ':'", this.mark());
    }
    sk.possible = false;
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.mark() });
    this.flowLevel++;
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel) {
      this.flowLevel--;
      this.simpleKeys.pop();
    }
  }

  private rollIndent(column: number, number: number, type: TokenType, mark: Mark): void {
    if (this.flowLevel) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      const token: Token = { type, start: mark, end: mark };
      if (number === -1) this.tokens.push(token);
      else this.tokens.splice(number - this.tokensParsed, 0, token);
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel) return;
    while (this.indent > column) {
      this.addToken("BLOCK-END", this.mark(), this.mark());
      this.indent = this.indents.pop()!;
    }
  }

  // --- fetchers -------------------------------------------------------------------------------

  private fetchStreamEnd(): void {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.addToken("STREAM-END", this.mark(), this.mark());
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.scanDirective();
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.skip();
    this.skip();
    this.skip();
    this.addToken(type, start, this.mark());
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    const start = this.mark();
    this.skip();
    this.addToken(type, start, this.mark());
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.skip();
    this.addToken(type, start, this.mark());
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.mark();
    this.skip();
    this.addToken("FLOW-ENTRY", start, this.mark());
  }

  private fetchBlockEntry(): void {
    if (!this.flowLevel) {
      if (!this.simpleKeyAllowed) {
        throw scanError(undefined, undefined, "block sequence entries are not allowed in this context", this.mark());
      }
      this.rollIndent(this.column, -1, "BLOCK-SEQUENCE-START", this.mark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.mark();
    this.skip();
    this.addToken("BLOCK-ENTRY", start, this.mark());
  }

  private fetchKey(): void {
    if (!this.flowLevel) {
      if (!this.simpleKeyAllowed) {
        throw scanError(undefined, undefined, "mapping keys are not allowed in this context", this.mark());
      }
      this.rollIndent(this.column, -1, "BLOCK-MAPPING-START", this.mark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = !this.flowLevel;
    const start = this.mark();
    this.skip();
    this.addToken("KEY", start, this.mark());
  }

  private fetchValue(): void {
    const sk = this.simpleKeys[this.simpleKeys.length - 1];
    if (sk.possible) {
      this.tokens.splice(sk.tokenNumber - this.tokensParsed, 0, { type: "KEY", start: sk.mark, end: sk.mark });
      this.rollIndent(sk.mark.column, sk.tokenNumber, "BLOCK-MAPPING-START", sk.mark);
      sk.possible = false;
      this.simpleKeyAllowed = false;
    } else {
      if (!this.flowLevel) {
        if (!this.simpleKeyAllowed) {
          throw scanError(undefined, undefined, "mapping values are not allowed in this context", this.mark());
        }
        this.rollIndent(this.column, -1, "BLOCK-MAPPING-START", this.mark());
      }
      this.simpleKeyAllowed = !this.flowLevel;
    }
    const start = this.mark();
    this.skip();
    this.addToken("VALUE", start, this.mark());
  }

  private fetchAnchor(type: "ANCHOR" | "ALIAS"): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.skip();
    let name = "";
    while (isAlphaCh(this.ch())) {
      name += this.ch();
      this.skip();
    }
    const c = this.ch();
    if (!name || !(isBlankZCh(c) || "?:,]}%@`".includes(c))) {
      const ctx = type === "ANCHOR" ? "while scanning an anchor" : "while scanning an alias";
      throw scanError(ctx, start, "did not find expected alphabetic or numeric character", this.mark());
    }
    this.addToken(type, start, this.mark(), { value: name });
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    let handle: string;
    if (this.ch(1) === "<") {
      this.skip();
      this.skip();
      handle = "";
      this.scanTagUri(false, "", start);
      if (this.ch() !== ">") throw scanError("while scanning a tag", start, "did not find the expected '>'", this.mark());
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.length > 1 && handle.startsWith("!") && handle.endsWith("!")) {
        this.scanTagUri(false, "", start);
      } else {
        this.scanTagUri(false, handle, start);
        handle = "!";
      }
    }
    if (!isBlankZCh(this.ch())) {
      throw scanError("while scanning a tag", start, "did not find expected whitespace or line break", this.mark());
    }
    this.addToken("TAG", start, this.mark(), { value: handle });
  }

  private fetchBlockScalar(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.scanBlockScalar();
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.scanFlowScalar(single);
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.scanPlainScalar();
  }

  // --- scanners -------------------------------------------------------------------------------

  private scanToNextToken(): void {
    for (;;) {
      if (this.pos === 0 && this.ch() === "\uFEFF") this.pos++;
      while (this.ch() === " " || ((this.flowLevel || !this.simpleKeyAllowed) && this.ch() === "\t")) this.skip();
      if (this.ch() === "#") while (!isBreakZCh(this.ch())) this.skip();
      if (!isBreakCh(this.ch())) return;
      this.skipLine();
      if (!this.flowLevel) this.simpleKeyAllowed = true;
    }
  }

  private scanDirective(): void {
    const start = this.mark();
    this.skip();
    let name = "";
    while (isAlphaCh(this.ch())) {
      name += this.ch();
      this.skip();
    }
    if (!name) throw scanError("while scanning a directive", start, "could not find expected directive name", this.mark());
    if (!isBlankZCh(this.ch())) {
      throw scanError("while scanning a directive", start, "found unexpected non-alphabetical character", this.mark());
    }
    if (name === "YAML") {
      while (isBlankCh(this.ch())) this.skip();
      const major = this.scanVersionNumber(start);
      if (this.ch() !== ".") {
        throw scanError("while scanning a %YAML directive", start, "did not find expected digit or '.' character", this.mark());
      }
      this.skip();
      this.scanVersionNumber(start);
      this.addToken("VERSION-DIRECTIVE", start, this.mark(), { major });
    } else if (name === "TAG") {
      while (isBlankCh(this.ch())) this.skip();
      const handle = this.scanTagHandle(true, start);
      if (!isBlankCh(this.ch())) throw scanError("while scanning a %TAG directive", start, "did not find expected whitespace", this.mark());
      while (isBlankCh(this.ch())) this.skip();
      this.scanTagUri(true, "", start);
      if (!isBlankZCh(this.ch())) {
        throw scanError("while scanning a %TAG directive", start, "did not find expected whitespace or line break", this.mark());
      }
      this.addToken("TAG-DIRECTIVE", start, this.mark(), { value: handle });
    } else {
      throw scanError("while scanning a directive", start, "found unknown directive name", this.mark());
    }
    while (isBlankCh(this.ch())) this.skip();
    if (this.ch() === "#") while (!isBreakZCh(this.ch())) this.skip();
    if (!isBreakZCh(this.ch())) {
      throw scanError("while scanning a directive", start, "did not find expected comment or line break", this.mark());
    }
    this.skipLine();
  }

  private scanVersionNumber(start: Mark): number {
    let digits = "";
    while (isDigitCh(this.ch())) {
      digits += this.ch();
      if (digits.length > 9) throw scanError("while scanning a %YAML directive", start, "found extremely long version number", this.mark());
      this.skip();
    }
    if (!digits) throw scanError("while scanning a %YAML directive", start, "did not find expected version number", this.mark());
    return Number(digits);
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    if (this.ch() !== "!") {
      const ctx = directive ? "while scanning a tag directive" : "while scanning a tag";
      throw scanError(ctx, start, "did not find expected '!'", this.mark());
    }
    let handle = "!";
    this.skip();
    while (isAlphaCh(this.ch())) {
      handle += this.ch();
      this.skip();
    }
    if (this.ch() === "!") {
      handle += "!";
      this.skip();
    } else if (directive && handle !== "!") {
      throw scanError("while parsing a tag directive", start, "did not find expected '!'", this.mark());
    }
    return handle;
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): void {
    let length = head.length;
    while (isAlphaCh(this.ch()) || URI_CHARS.includes(this.ch())) {
      if (this.ch() === "%") {
        if (!(isHexCh(this.ch(1)) && isHexCh(this.ch(2)))) {
          const ctx = directive ? "while parsing a %TAG directive" : "while parsing a tag";
          throw scanError(ctx, start, "did not find URI escaped octet", this.mark());
        }
        this.skip();
        this.skip();
      }
      this.skip();
      length++;
    }
    if (!length) {
      const ctx = directive ? "while parsing a %TAG directive" : "while parsing a tag";
      throw scanError(ctx, start, "did not find expected tag URI", this.mark());
    }
  }

  private scanBlockScalar(): void {
    const start = this.mark();
    this.skip();
    let increment = 0;
    const zeroIndent = (): YamlParseError =>
      scanError("while scanning a block scalar", start, "found an indentation indicator equal to 0", this.mark());
    if (this.ch() === "+" || this.ch() === "-") {
      this.skip();
      if (isDigitCh(this.ch())) {
        if (this.ch() === "0") throw zeroIndent();
        increment = Number(this.ch());
        this.skip();
      }
    } else if (isDigitCh(this.ch())) {
      if (this.ch() === "0") throw zeroIndent();
      increment = Number(this.ch());
      this.skip();
      if (this.ch() === "+" || this.ch() === "-") this.skip();
    }
    while (isBlankCh(this.ch())) this.skip();
    if (this.ch() === "#") while (!isBreakZCh(this.ch())) this.skip();
    if (!isBreakZCh(this.ch())) {
      throw scanError("while scanning a block scalar", start, "did not find expected comment or line break", this.mark());
    }
    this.skipLine();
    let indent = increment ? (this.indent >= 0 ? this.indent + increment : increment) : 0;
    indent = this.scanBlockScalarBreaks(indent, start);
    while (this.column === indent && this.ch() !== Z) {
      while (!isBreakZCh(this.ch())) this.skip();
      this.skipLine();
      indent = this.scanBlockScalarBreaks(indent, start);
    }
    this.addToken("SCALAR", start, this.mark());
  }

  private scanBlockScalarBreaks(indent: number, start: Mark): number {
    let maxIndent = 0;
    for (;;) {
      while ((!indent || this.column < indent) && this.ch() === " ") this.skip();
      if (this.column > maxIndent) maxIndent = this.column;
      if ((!indent || this.column < indent) && this.ch() === "\t") {
        throw scanError("while scanning a block scalar", start, "found a tab character where an indentation space is expected", this.mark());
      }
      if (!isBreakCh(this.ch())) break;
      this.skipLine();
    }
    if (!indent) {
      indent = maxIndent;
      if (indent < this.indent + 1) indent = this.indent + 1;
      if (indent < 1) indent = 1;
    }
    return indent;
  }

  private scanFlowScalar(single: boolean): void {
    const start = this.mark();
    this.skip();
    const quote = single ? "'" : '"';
    for (;;) {
      if (this.column === 0 && (this.atDocumentIndicator("-") || this.atDocumentIndicator("."))) {
        throw scanError("while scanning a quoted scalar", start, "found unexpected document indicator", this.mark());
      }
      if (this.ch() === Z) {
        throw scanError("while scanning a quoted scalar", start, "found unexpected end of stream", this.mark());
      }
      while (!isBlankZCh(this.ch())) {
        const c = this.ch();
        if (single && c === "'" && this.ch(1) === "'") {
          this.skip();
          this.skip();
        } else if (c === quote) {
          break;
        } else if (!single && c === "\\" && isBreakCh(this.ch(1))) {
          this.skip();
          this.skipLine();
          break;
        } else if (!single && c === "\\") {
          this.scanEscape(start);
        } else {
          this.skip();
        }
      }
      if (this.ch() === quote) break;
      while (isBlankCh(this.ch()) || isBreakCh(this.ch())) {
        if (isBlankCh(this.ch())) this.skip();
        else this.skipLine();
      }
    }
    this.skip();
    this.addToken("SCALAR", start, this.mark());
  }

  private scanEscape(start: Mark): void {
    const e = this.ch(1);
    let codeLength = 0;
    if (e === "x") codeLength = 2;
    else if (e === "u") codeLength = 4;
    else if (e === "U") codeLength = 8;
    else if (!"0abt\tnvfre \"/\\N_LP".includes(e) || e === Z) {
      throw scanError("while parsing a quoted scalar", start, "found unknown escape character", this.mark());
    }
    this.skip();
    this.skip();
    if (!codeLength) return;
    let value = 0;
    for (let k = 0; k < codeLength; k++) {
      const h = this.ch(k);
      if (!isHexCh(h)) {
        throw scanError("while parsing a quoted scalar", start, "did not find expected hexdecimal number", this.mark());
      }
      value = value * 16 + parseInt(h, 16);
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
      throw scanError("while parsing a quoted scalar", start, "found invalid Unicode character escape code", this.mark());
    }
    for (let k = 0; k < codeLength; k++) this.skip();
  }

  private scanPlainScalar(): void {
    const start = this.mark();
    let end = this.mark();
    const indent = this.indent + 1;
    let leadingBlanks = false;
    for (;;) {
      if (this.column === 0 && (this.atDocumentIndicator("-") || this.atDocumentIndicator("."))) break;
      if (this.ch() === "#") break;
      while (!isBlankZCh(this.ch())) {
        const c = this.ch();
        if (this.flowLevel && c === ":" && !isBlankZCh(this.ch(1))) {
          throw scanError("while scanning a plain scalar", start, "found unexpected ':'", this.mark());
        }
        if ((c === ":" && isBlankZCh(this.ch(1))) || (this.flowLevel && ",:?[]{}".includes(c))) break;
        leadingBlanks = false;
        this.skip();
        end = this.mark();
      }
      if (!(isBlankCh(this.ch()) || isBreakCh(this.ch()))) break;
      while (isBlankCh(this.ch()) || isBreakCh(this.ch())) {
        if (isBlankCh(this.ch())) {
          if (leadingBlanks && this.column < indent && this.ch() === "\t") {
            throw scanError("while scanning a plain scalar", start, "found a tab character that violates indentation", this.mark());
          }
          this.skip();
        } else {
          this.skipLine();
          leadingBlanks = true;
        }
      }
      if (!this.flowLevel && this.column < indent) break;
    }
    this.addToken("SCALAR", start, end);
    if (leadingBlanks) this.simpleKeyAllowed = true;
  }
}

type EventType =
  | "STREAM-START"
  | "STREAM-END"
  | "DOCUMENT-START"
  | "DOCUMENT-END"
  | "ALIAS"
  | "SCALAR"
  | "SEQUENCE-START"
  | "SEQUENCE-END"
  | "MAPPING-START"
  | "MAPPING-END";

interface ParseEvent {
  type: EventType;
  start: Mark;
  anchor?: string;
}

type ParserState = () => ParseEvent;

/** Port of libyaml's parser (event kinds, marks and anchors only). */
class Parser {
  private readonly scanner: Scanner;
  private state: ParserState;
  private readonly states: ParserState[] = [];
  private readonly marks: Mark[] = [];
  private tagHandles = new Set<string>();
  private done = false;

  constructor(text: string) {
    this.scanner = new Scanner(text);
    this.state = this.parseStreamStart;
  }

  next(): ParseEvent | null {
    if (this.done) return null;
    const ev = this.state();
    if (ev.type === "STREAM-END") this.done = true;
    return ev;
  }

  private parserError(context: string | undefined, contextMark: Mark | undefined, problem: string, problemMark: Mark): YamlParseError {
    return scanError(context, contextMark, problem, problemMark);
  }

  private parseStreamStart = (): ParseEvent => {
    const token = this.scanner.nextToken();
    this.state = this.parseImplicitDocumentStart;
    return { type: "STREAM-START", start: token.start };
  };

  private parseImplicitDocumentStart = (): ParseEvent => this.parseDocumentStart(true);

  private parseExplicitDocumentStart = (): ParseEvent => this.parseDocumentStart(false);

  private parseDocumentStart(implicit: boolean): ParseEvent {
    let token = this.scanner.peekToken();
    if (!implicit) {
      while (token.type === "DOCUMENT-END") {
        this.scanner.nextToken();
        token = this.scanner.peekToken();
      }
    }
    const t = token.type;
    if (implicit && t !== "VERSION-DIRECTIVE" && t !== "TAG-DIRECTIVE" && t !== "DOCUMENT-START" && t !== "STREAM-END") {
      this.tagHandles = new Set(["!", "!!"]);
      this.states.push(this.parseDocumentEnd);
      this.state = this.parseBlockNode;
      return { type: "DOCUMENT-START", start: token.start };
    }
    if (t !== "STREAM-END") {
      this.processDirectives();
      token = this.scanner.peekToken();
      if (token.type !== "DOCUMENT-START") {
        throw this.parserError(undefined, undefined, "did not find expected <document start>", token.start);
      }
      this.states.push(this.parseDocumentEnd);
      this.state = this.parseDocumentContent;
      this.scanner.nextToken();
      return { type: "DOCUMENT-START", start: token.start };
    }
    this.scanner.nextToken();
    return { type: "STREAM-END", start: token.start };
  }

  private processDirectives(): void {
    let seenVersion = false;
    const handles = new Set<string>();
    for (;;) {
      const token = this.scanner.peekToken();
      if (token.type === "VERSION-DIRECTIVE") {
        if (seenVersion) throw this.parserError(undefined, undefined, "found duplicate %YAML directive", token.start);
        if (token.major !== 1) throw this.parserError(undefined, undefined, "found incompatible YAML document", token.start);
        seenVersion = true;
      } else if (token.type === "TAG-DIRECTIVE") {
        const h = token.value ?? "";
        if (handles.has(h)) throw this.parserError(undefined, undefined, "found duplicate %TAG directive", token.start);
        handles.add(h);
      } else {
        break;
      }
      this.scanner.nextToken();
    }
    this.tagHandles = new Set(["!", "!!", ...handles]);
  }

  private parseDocumentEnd = (): ParseEvent => {
    const token = this.scanner.peekToken();
    if (token.type === "DOCUMENT-END") this.scanner.nextToken();
    this.state = this.parseExplicitDocumentStart;
    return { type: "DOCUMENT-END", start: token.start };
  };

  private parseDocumentContent = (): ParseEvent => {
    const t = this.scanner.peekToken();
    if (["VERSION-DIRECTIVE", "TAG-DIRECTIVE", "DOCUMENT-START", "DOCUMENT-END", "STREAM-END"].includes(t.type)) {
      this.state = this.states.pop()!;
      return { type: "SCALAR", start: t.start };
    }
    return this.parseNode(true, false);
  };

  private parseBlockNode = (): ParseEvent => this.parseNode(true, false);

  private parseBlockNodeOrIndentlessSequence = (): ParseEvent => this.parseNode(true, true);

  private parseFlowNode = (): ParseEvent => this.parseNode(false, false);

  private parseNode(block: boolean, indentlessSequence: boolean): ParseEvent {
    let token = this.scanner.peekToken();
    if (token.type === "ALIAS") {
      this.scanner.nextToken();
      this.state = this.states.pop()!;
      return { type: "ALIAS", start: token.start, anchor: token.value };
    }
    let start: Mark | undefined;
    let anchor: string | undefined;
    let tagToken: Token | undefined;
    if (token.type === "ANCHOR") {
      anchor = token.value;
      start = token.start;
      this.scanner.nextToken();
      token = this.scanner.peekToken();
      if (token.type === "TAG") {
        tagToken = token;
        this.scanner.nextToken();
        token = this.scanner.peekToken();
      }
    } else if (token.type === "TAG") {
      tagToken = token;
      start = token.start;
      this.scanner.nextToken();
      token = this.scanner.peekToken();
      if (token.type === "ANCHOR") {
        anchor = token.value;
        this.scanner.nextToken();
        token = this.scanner.peekToken();
      }
    }
    if (tagToken && tagToken.value && !this.tagHandles.has(tagToken.value)) {
      throw this.parserError("while parsing a node", start, "found undefined tag handle", tagToken.start);
    }
    const startMark = start ?? token.start;
    const ev = (type: EventType): ParseEvent => ({ type, start: startMark, anchor });
    if (indentlessSequence && token.type === "BLOCK-ENTRY") {
      this.state = this.parseIndentlessSequenceEntry;
      return ev("SEQUENCE-START");
    }
    if (token.type === "SCALAR") {
      this.scanner.nextToken();
      this.state = this.states.pop()!;
      return ev("SCALAR");
    }
    if (token.type === "FLOW-SEQUENCE-START") {
      this.state = this.parseFlowSequenceFirstEntry;
      return ev("SEQUENCE-START");
    }
    if (token.type === "FLOW-MAPPING-START") {
      this.state = this.parseFlowMappingFirstKey;
      return ev("MAPPING-START");
    }
    if (block && token.type === "BLOCK-SEQUENCE-START") {
      this.state = this.parseBlockSequenceFirstEntry;
      return ev("SEQUENCE-START");
    }
    if (block && token.type === "BLOCK-MAPPING-START") {
      this.state = this.parseBlockMappingFirstKey;
      return ev("MAPPING-START");
    }
    if (anchor !== undefined || tagToken) {
      this.state = this.states.pop()!;
      return ev("SCALAR");
    }
    throw this.parserError(
      block ? "while parsing a block node" : "while parsing a flow node",
      startMark,
      "did not find expected node content",
      token.start,
    );
  }

  private emptyScalar(mark: Mark): ParseEvent {
    return { type: "SCALAR", start: mark };
  }

  private parseBlockSequenceFirstEntry = (): ParseEvent => {
    this.marks.push(this.scanner.nextToken().start);
    return this.parseBlockSequenceEntry();
  };

  private parseBlockSequenceEntry = (): ParseEvent => {
    let token = this.scanner.peekToken();
    if (token.type === "BLOCK-ENTRY") {
      const mark = token.end;
      this.scanner.nextToken();
      token = this.scanner.peekToken();
      if (token.type !== "BLOCK-ENTRY" && token.type !== "BLOCK-END") {
        this.states.push(this.parseBlockSequenceEntry);
        return this.parseNode(true, false);
      }
      this.state = this.parseBlockSequenceEntry;
      return this.emptyScalar(mark);
    }
    if (token.type === "BLOCK-END") {
      this.scanner.nextToken();
      this.state = this.states.pop()!;
      this.marks.pop();
      return { type: "SEQUENCE-END", start: token.start };
    }
    throw this.parserError("while parsing a block collection", this.marks.pop(), "did not find expected '-' indicator", token.start);
  };

  private parseIndentlessSequenceEntry = (): ParseEvent => {
    let token = this.scanner.peekToken();
    if (token.type === "BLOCK-ENTRY") {
      const mark = token.end;
      this.scanner.nextToken();
      token = this.scanner.peekToken();
      if (!["BLOCK-ENTRY", "KEY", "VALUE", "BLOCK-END"].includes(token.type)) {
        this.states.push(this.parseIndentlessSequenceEntry);
        return this.parseNode(true, false);
      }
      this.state = this.parseIndentlessSequenceEntry;
      return this.emptyScalar(mark);
    }
    this.state = this.states.pop()!;
    return { type: "SEQUENCE-END", start: token.start };
  };

  private parseBlockMappingFirstKey = (): ParseEvent => {
    this.marks.push(this.scanner.nextToken().start);
    return this.parseBlockMappingKey();
  };

  private parseBlockMappingKey = (): ParseEvent => {
    let token = this.scanner.peekToken();
    if (token.type === "KEY") {
      const mark = token.end;
      this.scanner.nextToken();
      token = this.scanner.peekToken();
      if (!["KEY", "VALUE", "BLOCK-END"].includes(token.type)) {
        this.states.push(this.parseBlockMappingValue);
        return this.parseNode(true, true);
      }
      this.state = this.parseBlockMappingValue;
      return this.emptyScalar(mark);
    }
    if (token.type === "BLOCK-END") {
      this.scanner.nextToken();
      this.state = this.states.pop()!;
      this.marks.pop();
      return { type: "MAPPING-END", start: token.start };
    }
    throw this.parserError("while parsing a block mapping", this.marks.pop(), "did not find expected key", token.start);
  };

  private parseBlockMappingValue = (): ParseEvent => {
    let token = this.scanner.peekToken();
    if (token.type === "VALUE") {
      const mark = token.end;
      this.scanner.nextToken();
      token = this.scanner.peekToken();
      if (!["KEY", "VALUE", "BLOCK-END"].includes(token.type)) {
        this.states.push(this.parseBlockMappingKey);
        return this.parseNode(true, true);
      }
      this.state = this.parseBlockMappingKey;
      return this.emptyScalar(mark);
    }
    this.state = this.parseBlockMappingKey;
    return this.emptyScalar(token.start);
  };

  private parseFlowSequenceFirstEntry = (): ParseEvent => {
    this.marks.push(this.scanner.nextToken().start);
    return this.parseFlowSequenceEntry(true);
  };

  private parseFlowSequenceNextEntry = (): ParseEvent => this.parseFlowSequenceEntry(false);

  private parseFlowSequenceEntry(first: boolean): ParseEvent {
    let token = this.scanner.peekToken();
    if (token.type !== "FLOW-SEQUENCE-END") {
      if (!first) {
        if (token.type === "FLOW-ENTRY") {
          this.scanner.nextToken();
          token = this.scanner.peekToken();
        } else {
          throw this.parserError("while parsing a flow sequence", this.marks.pop(), "did not find expected ',' or ']'", token.start);
        }
      }
      if (token.type === "KEY") {
        this.state = this.parseFlowSequenceEntryMappingKey;
        return { type: "MAPPING-START", start: token.start };
      }
      if (token.type !== "FLOW-SEQUENCE-END") {
        this.states.push(this.parseFlowSequenceNextEntry);
        return this.parseNode(false, false);
      }
    }
    this.scanner.nextToken();
    this.state = this.states.pop()!;
    this.marks.pop();
    return { type: "SEQUENCE-END", start: token.start };
  }

  private parseFlowSequenceEntryMappingKey = (): ParseEvent => {
    const token = this.scanner.nextToken();
    const next = this.scanner.peekToken();
    if (!["VALUE", "FLOW-ENTRY", "FLOW-SEQUENCE-END"].includes(next.type)) {
      this.states.push(this.parseFlowSequenceEntryMappingValue);
      return this.parseNode(false, false);
    }
    this.state = this.parseFlowSequenceEntryMappingValue;
    return this.emptyScalar(token.end);
  };

  private parseFlowSequenceEntryMappingValue = (): ParseEvent => {
    let token = this.scanner.peekToken();
    if (token.type === "VALUE") {
      const mark = token.end;
      this.scanner.nextToken();
      token = this.scanner.peekToken();
      if (token.type !== "FLOW-ENTRY" && token.type !== "FLOW-SEQUENCE-END") {
        this.states.push(this.parseFlowSequenceEntryMappingEnd);
        return this.parseNode(false, false);
      }
      this.state = this.parseFlowSequenceEntryMappingEnd;
      return this.emptyScalar(mark);
    }
    this.state = this.parseFlowSequenceEntryMappingEnd;
    return this.emptyScalar(token.start);
  };

  private parseFlowSequenceEntryMappingEnd = (): ParseEvent => {
    this.state = this.parseFlowSequenceNextEntry;
    return { type: "MAPPING-END", start: this.scanner.peekToken().start };
  };

  private parseFlowMappingFirstKey = (): ParseEvent => {
    this.marks.push(this.scanner.nextToken().start);
    return this.parseFlowMappingKey(true);
  };

  private parseFlowMappingNextKey = (): ParseEvent => this.parseFlowMappingKey(false);

  private parseFlowMappingKey(first: boolean): ParseEvent {
    let token = this.scanner.peekToken();
    if (token.type !== "FLOW-MAPPING-END") {
      if (!first) {
        if (token.type === "FLOW-ENTRY") {
          this.scanner.nextToken();
          token = this.scanner.peekToken();
        } else {
          throw this.parserError("while parsing a flow mapping", this.marks.pop(), "did not find expected ',' or '}'", token.start);
        }
      }
      if (token.type === "KEY") {
        const mark = token.end;
        this.scanner.nextToken();
        token = this.scanner.peekToken();
        if (!["VALUE", "FLOW-ENTRY", "FLOW-MAPPING-END"].includes(token.type)) {
          this.states.push(this.parseFlowMappingValue);
          return this.parseNode(false, false);
        }
        this.state = this.parseFlowMappingValue;
        return this.emptyScalar(mark);
      }
      if (token.type !== "FLOW-MAPPING-END") {
        this.states.push(this.parseFlowMappingEmptyValue);
        return this.parseNode(false, false);
      }
    }
    this.scanner.nextToken();
    this.state = this.states.pop()!;
    this.marks.pop();
    return { type: "MAPPING-END", start: token.start };
  }

  private parseFlowMappingValue = (): ParseEvent => {
    let token = this.scanner.peekToken();
    if (token.type === "VALUE") {
      const mark = token.end;
      this.scanner.nextToken();
      token = this.scanner.peekToken();
      if (token.type !== "FLOW-ENTRY" && token.type !== "FLOW-MAPPING-END") {
        this.states.push(this.parseFlowMappingNextKey);
        return this.parseNode(false, false);
      }
      this.state = this.parseFlowMappingNextKey;
      return this.emptyScalar(mark);
    }
    this.state = this.parseFlowMappingNextKey;
    return this.emptyScalar(token.start);
  };

  private parseFlowMappingEmptyValue = (): ParseEvent => {
    this.state = this.parseFlowMappingNextKey;
    return this.emptyScalar(this.scanner.peekToken().start);
  };
}

/**
 * Run libyaml's parser over the text with the checks of ruamel.yaml.clib's composer (one
 * document, aliases defined, anchors unique). Throws YamlParseError on the first problem.
 */
export function checkSyntax(text: string): void {
  const parser = new Parser(text);
  const next = (): ParseEvent => {
    const ev = parser.next();
    if (!ev) throw new Error("YAML event stream ended early");
    return ev;
  };
  next(); // STREAM-START
  let ev = next();
  if (ev.type === "STREAM-END") return;
  // compose the document: DOCUMENT-START, one node, DOCUMENT-END
  const anchors = new Map<string, Mark>();
  let rootStart: Mark | undefined;
  for (;;) {
    ev = next();
    if (ev.type === "DOCUMENT-END") break;
    if (rootStart === undefined) rootStart = ev.start;
    if (ev.type === "ALIAS") {
      if (!anchors.has(ev.anchor ?? "")) throw scanError(undefined, undefined, "found undefined alias", ev.start);
    } else if (ev.anchor !== undefined) {
      const first = anchors.get(ev.anchor);
      if (first) throw scanError("found duplicate anchor; first occurrence", first, "second occurrence", ev.start);
      anchors.set(ev.anchor, ev.start);
    }
  }
  ev = next();
  if (ev.type !== "STREAM-END") {
    throw scanError("expected a single document in the stream", rootStart, "but found another document", ev.start);
  }
}

// =============================================================================================
// Loading into the model
// =============================================================================================

/** Python's universal newlines: `\r\n` and `\r` read as `\n`. */
function normalizeNewlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

let persistent: YamlCache | null = null;

/** Keep parsed documents in `dir` (see cache.ts), or stop with null. */
export function useYamlCache(dir: string | null): void {
  persistent = dir === null ? null : new YamlCache(dir);
}

/**
 * Parse a YAML document into the model, as ruamel does for DVC: YAML 1.2 core schema (ints as
 * bigint, floats as number, `yes`/`no` strings), duplicate keys rejected, comments and source
 * positions kept. An empty document gives null. Throws YamlParseError when the text does not
 * load; `formatYamlError` turns it into DVC's report.
 * With a cache set (`useYamlCache`), a text loaded before is not parsed again.
 */
export function loadYaml(text: string): YValue {
  if (!persistent || !YamlCache.wants(text)) return parseYaml(text);
  const key = YamlCache.keyOf(text);
  const hit = persistent.get(key, text);
  if (hit !== undefined) return hit;
  noteYamlCacheMiss();
  const model = parseYaml(text);
  persistent.set(key, text, model);
  return model;
}

/** `toPy(loadYaml(text))`; with a cache hit, the model is not built. */
export function loadYamlPy(text: string): PyValue {
  if (persistent && YamlCache.wants(text)) {
    const plain = persistent.getPlain(YamlCache.keyOf(text), text);
    if (plain !== undefined) return plainToPy(plain);
  }
  return toPy(loadYaml(text));
}

/**
 * Run `check` on a loaded text unless the cache records that this exact text passed the check
 * `tag` before; record a pass. Checks must be pure functions of the text (schema validation).
 */
export function checkOnce(text: string, tag: string, check: () => void): void {
  if (!persistent || !YamlCache.wants(text)) return check();
  const key = YamlCache.keyOf(text);
  if (persistent.passed(key, tag)) return;
  check();
  persistent.markPassed(key, tag);
}

function parseYaml(text: string): YValue {
  const src = normalizeNewlines(text.startsWith("\uFEFF") ? text.slice(1) : text);
  checkSyntax(src);
  const docs = parseAllDocuments(src, {
    version: "1.2",
    schema: "failsafe",
    uniqueKeys: false,
    keepSourceTokens: true,
    strict: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0) return null;
  const doc = list[0] as Document.Parsed;
  const err = doc.errors[0];
  if (err) {
    const at = new SourceMap(src).mark(err.pos[0]);
    // a construct libyaml accepts but the `yaml` package does not: report it as well as we can
    const message = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new YamlParseError(undefined, undefined, message, at);
  }
  return new Builder(src).document(doc);
}

/** Offsets (UTF-16, as the `yaml` package gives them) to lines and code-point columns. */
class SourceMap {
  readonly text: string;
  readonly lineStarts: number[] = [0];

  constructor(text: string) {
    this.text = text;
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  /** 0-based line index of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  mark(offset: number): YamlMark {
    const line = this.lineOf(offset);
    return { line, column: codePoints(this.text.slice(this.lineStarts[line], offset)) };
  }

  lineText(line: number): string {
    const start = this.lineStarts[line];
    const end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return this.text.slice(start, end);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A scalar constructed with ruamel's YAML 1.2 rules, with the details the checks need. */
interface Constructed {
  value: YValue;
  /** Python `str()` of the value as the constructor sees it while checking duplicates. */
  pyStr: string;
  /** Identity for duplicate detection (Python dict key equality). */
  keyId: string;
}

/** Where a block collection sits, for the comment lines above its first key/item. */
type Ctx = { kind: "root" } | { kind: "pairValue"; owner: YPair } | { kind: "itemValue"; owner: YItem };

function isBlockCollection(n: YamlNode | null): boolean {
  return (isMap(n) || isSeq(n)) && !n.flow;
}

function appendLines(meta: YNodeMeta, field: "commentBefore" | "commentLines", run: string): void {
  const old = meta[field];
  meta[field] = old === undefined ? run : old + "\n" + run;
}

/** Builds the model from the `yaml` package's document. */
/** How many nodes aliases may copy in one document (a "billion laughs" file stops here). */
const MAX_ALIAS_EXPANSION = 1_000_000;
const ALIAS_MESSAGE = `YAML aliases in this file expand to more than ${MAX_ALIAS_EXPANSION} nodes`;

class Builder {
  private readonly map: SourceMap;
  /** Lines holding YAML content (not available for comments). */
  private readonly content: boolean[];
  /** Comment/blank lines already given to a node. */
  private readonly taken: boolean[];
  private readonly anchors = new Map<string, YValue>();
  /** The pair/item whose (non block-collection) value was built last: comments after it are its. */
  private lastLeaf: YNodeMeta | undefined;
  /** Anchored source nodes, for the duplicate-key message of an alias value. */
  private readonly anchorNodes = new Map<string, YamlNode>();

  /** Nodes copied so far by alias expansion (ruamel shares them; we copy, so it is bounded). */
  private expanded = 0;

  /** Count the nodes an alias copies; refuse documents whose aliases expand without bound. */
  private chargeExpansion(v: YValue): void {
    const count = (x: YValue): number => {
      let n = 1;
      if (x instanceof YMap) for (const p of x.pairs()) n += count(p.value);
      else if (x instanceof YSeq) for (const it of x.items) n += count(it.value);
      if (this.expanded + n > MAX_ALIAS_EXPANSION) throw new DvcException(ALIAS_MESSAGE);
      return n;
    };
    this.expanded += count(v);
  }

  constructor(text: string) {
    this.map = new SourceMap(text);
    this.content = new Array<boolean>(this.map.lineCount).fill(false);
    this.taken = new Array<boolean>(this.map.lineCount).fill(false);
  }

  document(doc: Document.Parsed): YValue {
    const root = doc.contents as YamlNode | null;
    if (root === null) return null;
    this.markContent(root);
    this.markDirectiveLines(root);
    this.checkDuplicates(root);
    const value = this.node(root, { kind: "root" });
    const end = this.trailingComment();
    if (end !== undefined) {
      if (this.lastLeaf) appendLines(this.lastLeaf, "commentLines", end);
      else if ((value instanceof YMap || value instanceof YSeq) && !value.flow) value.endComment = end;
    }
    return value;
  }

  // --- comments -------------------------------------------------------------------------------

  private markLines(from: number, to: number): void {
    const a = this.map.lineOf(from);
    const b = this.map.lineOf(Math.max(from, to - 1));
    for (let l = a; l <= b; l++) this.content[l] = true;
  }

  /** Mark the lines that hold YAML content, so only real comment/blank lines are kept. */
  private markContent(node: YamlNode | null): void {
    if (!node) return;
    const range = node.range;
    if (node.anchor) this.anchorNodes.set(node.anchor, node);
    if (isScalar(node)) {
      if (range && node.source !== "") this.markLines(range[0], this.scalarContentEnd(node));
    } else if (isAlias(node)) {
      if (range) this.markLines(range[0], range[1]);
    } else if ((isMap(node) || isSeq(node)) && node.flow) {
      if (range) this.markLines(range[0], range[1]);
    } else if (isMap(node)) {
      for (const p of node.items) {
        this.markContent(p.key as YamlNode | null);
        this.markContent(p.value as YamlNode | null);
      }
    } else if (isSeq(node)) {
      node.items.forEach((it, i) => {
        const dash = this.dashOffset(node, i);
        if (dash !== undefined) this.markLines(dash, dash + 1);
        this.markContent(it as YamlNode | null);
      });
    }
  }

  /** End of a scalar's own text: a block scalar's trailing blank lines stay comment lines. */
  private scalarContentEnd(node: YamlScalar): number {
    const range = node.range!;
    if (node.type !== "BLOCK_LITERAL" && node.type !== "BLOCK_FOLDED") return range[1];
    if (/^[|>][1-9]?\+/.test(this.map.text.slice(range[0], range[0] + 3))) return range[1];
    let end = range[1];
    const text = this.map.text;
    while (end > range[0] && /\s/.test(text[end - 1])) end--;
    return end;
  }

  /** `---`, `...` and `%` lines before the root are document markup, not comments. */
  private markDirectiveLines(root: YamlNode): void {
    const first = this.map.lineOf(root.range?.[0] ?? 0);
    for (let l = 0; l <= first; l++) {
      const t = this.map.lineText(l);
      if (/^(---|\.\.\.)(\s|$)/.test(t) || t.startsWith("%")) this.content[l] = true;
    }
  }

  /** The comment/blank lines right above a node's line, not yet given to another node. */
  private takeRunAbove(offset: number): string | undefined {
    const line = this.map.lineOf(offset);
    const lineStart = this.map.lineStarts[line];
    if (!/^[\s?-]*$/.test(this.map.text.slice(lineStart, offset))) return undefined;
    let first = line;
    while (first > 0 && !this.content[first - 1] && !this.taken[first - 1] && this.isCommentLine(first - 1)) first--;
    if (first === line) return undefined;
    const lines: string[] = [];
    for (let l = first; l < line; l++) {
      this.taken[l] = true;
      // ruamel drops a blank first line of the file
      if (l === 0 && this.map.lineText(0).trim() === "") continue;
      lines.push(this.map.lineText(l));
    }
    return lines.length ? lines.join("\n") : undefined;
  }

  private isCommentLine(line: number): boolean {
    const t = this.map.lineText(line).trim();
    return t === "" || t.startsWith("#");
  }

  /** Comment/blank lines after the last content line of the document. */
  private trailingComment(): string | undefined {
    let last = this.map.lineCount - 1;
    // the text's final newline leaves an empty last "line" that is not a line of the file
    if (this.map.text.endsWith("\n")) last--;
    let first = last + 1;
    while (first > 0 && !this.content[first - 1] && !this.taken[first - 1] && this.isCommentLine(first - 1)) first--;
    if (first > last) return undefined;
    const lines: string[] = [];
    for (let l = first; l <= last; l++) lines.push(this.map.lineText(l));
    return lines.join("\n");
  }

  /** `# comment` following `offset` on the same line, with its 0-based column. */
  private eolComment(offset: number): { text: string; col: number } | undefined {
    const text = this.map.text;
    let i = offset;
    while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
    if (text[i] !== "#") return undefined;
    let end = text.indexOf("\n", i);
    if (end < 0) end = text.length;
    return { text: text.slice(i, end), col: this.map.mark(i).column };
  }

  /** The `# comment` after the `:` that follows a key ending at `keyEnd`. */
  private commentAfterKey(keyEnd: number): { text: string; col: number } | undefined {
    const text = this.map.text;
    let i = keyEnd;
    while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
    if (text[i] !== ":") return undefined;
    return this.eolComment(i + 1);
  }

  private dashOffset(seq: YamlSeq, index: number): number | undefined {
    const tok = seq.srcToken;
    if (!tok || tok.type !== "block-seq") return undefined;
    const item = tok.items[index];
    const ind = item?.start.find((t) => t.type === "seq-item-ind");
    return ind?.offset;
  }

  // --- construction ---------------------------------------------------------------------------

  private node(n: YamlNode | null, ctx?: Ctx): YValue {
    if (n === null) return null;
    if (isAlias(n)) {
      const target = this.anchors.get(n.source);
      if (target === undefined) return null;
      this.chargeExpansion(target);
      return cloneY(target);
    }
    let value: YValue;
    if (isScalar(n)) value = this.scalar(n).value;
    else if (isMap(n)) value = this.mapping(n, ctx);
    else if (isSeq(n)) value = this.sequence(n);
    else value = null;
    if (n.anchor) this.anchors.set(n.anchor, value);
    return value;
  }

  private scalar(n: YamlScalar): Constructed {
    const raw = typeof n.value === "string" ? n.value : String(n.value ?? "");
    const tag = n.tag;
    if (n.type === "BLOCK_LITERAL") return strConstructed(new YBlockStr(raw, "literal"), raw);
    if (n.type === "BLOCK_FOLDED") {
      const b = new YBlockStr(raw, "folded");
      const fp = this.foldPositions(n, raw);
      if (fp && fp.length) b.foldPos = fp;
      return strConstructed(b, raw);
    }
    if (tag && tag !== "!") return this.tagged(n, raw, tag);
    if (n.type === "PLAIN") return constructPlain(raw);
    return strConstructed(raw, raw);
  }

  /** Scalars with an explicit standard tag (`!!str 1`, `!!int "3"`). */
  private tagged(n: YamlScalar, raw: string, tag: string): Constructed {
    const t = tag.replace(/^tag:yaml\.org,2002:/, "!!");
    const resolved = constructPlain(raw);
    const wanted: Record<string, string> = { "!!int": "bigint", "!!float": "number", "!!bool": "boolean", "!!null": "null" };
    if (t === "!!str" || t === "!!binary" || t === "!!timestamp") return strConstructed(raw, raw);
    const kind = wanted[t];
    const actual = resolved.value === null ? "null" : typeof resolved.value;
    if (kind !== undefined && (kind === actual || (kind === "number" && actual === "bigint"))) {
      if (kind === "number" && typeof resolved.value === "bigint") {
        const f = Number(resolved.value);
        return { value: f, pyStr: floatRepr(f), keyId: numericKeyId(f) };
      }
      return resolved;
    }
    const name = tag.startsWith("!!") ? "tag:yaml.org,2002:" + tag.slice(2) : tag;
    const at = this.map.mark(n.range?.[0] ?? 0);
    throw new YamlParseError(undefined, undefined, `could not determine a constructor for the tag ${strRepr(name)}`, at);
  }

  private mapping(n: YamlMap, ctx?: Ctx): YMap {
    const m = new YMap();
    if (n.flow) m.flow = true;
    if (n.range) this.setPos(m, nodeStart(n));
    const own: YamlPair[] = [];
    for (const p of n.items) {
      if (isScalar(p.key) && p.key.type === "PLAIN" && p.key.value === "<<" && !p.key.tag) this.merge(m, p.value as YamlNode | null);
      else own.push(p);
    }
    own.forEach((p, i) => this.pair(m, p, n.flow === true, i === 0 ? ctx : undefined));
    return m;
  }

  /**
   * Apply a `<<` merge the way ruamel's SafeConstructor does: the merged pairs come first (for a
   * list, the last mapping's pairs first), later pairs overriding earlier values in place.
   */
  private merge(m: YMap, v: YamlNode | null): void {
    const sources = isSeq(v) ? v.items.map((it) => this.node(it as YamlNode | null)).reverse() : [this.node(v)];
    for (const src of sources) {
      if (!(src instanceof YMap)) continue;
      for (const p of src.pairs()) {
        const value = cloneY(p.value);
        if (m.has(p.key)) m.set(p.key, value);
        else m.addPair(p.rawKey === undefined ? { key: p.key, value } : { key: p.key, rawKey: p.rawKey, value });
      }
    }
  }

  /**
   * One pair. `first` is the context of the mapping when this is its first pair: comment lines
   * above the first key belong to the owner (ruamel's rules, see YNodeMeta).
   */
  private pair(m: YMap, p: YamlPair, flow: boolean, first: Ctx | undefined): void {
    const keyNode = p.key as YamlNode | null;
    const valueNode = p.value as YamlNode | null;
    const key = this.key(keyNode);
    const pair: YPair = { key: key.text, value: null };
    if (key.raw !== undefined) pair.rawKey = key.raw;
    const keyStart = keyNode ? nodeStart(keyNode) : undefined;
    if (keyStart !== undefined && !flow) {
      const run = this.takeRunAbove(keyStart);
      if (run !== undefined) this.placeRun(run, pair, first);
    }
    if (keyStart !== undefined) Object.assign(pair, this.pos(keyStart));
    const valueStart = valueNode?.range?.[0];
    if (valueStart !== undefined) {
      const vp = this.pos(valueStart);
      pair.valueLine = vp.line;
      pair.valueCol = vp.col;
    }
    if (!flow) {
      const c = this.valueComment(valueNode, keyNode);
      if (c) {
        pair.comment = c.text;
        pair.commentCol = c.col;
      }
    }
    m.addPair(pair);
    const block = isBlockCollection(valueNode);
    pair.value = this.node(valueNode, block ? { kind: "pairValue", owner: pair } : undefined);
    if (!block && !flow) this.lastLeaf = pair;
  }

  /** Give a run of comment lines found above a key/item to the node ruamel gives it to. */
  private placeRun(run: string, node: YNodeMeta, first: Ctx | undefined): void {
    if (first?.kind === "pairValue") appendLines(first.owner, "commentLines", run);
    else if (first?.kind === "itemValue") appendLines(first.owner, "commentBefore", run);
    else if (first?.kind === "root" || !this.lastLeaf) appendLines(node, "commentBefore", run);
    else appendLines(this.lastLeaf, "commentLines", run);
  }

  private key(n: YamlNode | null): { text: string; raw?: YScalar } {
    if (n === null) return { text: "None", raw: null };
    if (isScalar(n)) {
      const c = this.scalar(n);
      const v = c.value;
      if (typeof v === "string") return { text: v };
      if (v instanceof YBlockStr) return { text: v.value };
      if (v === null || typeof v !== "object") return { text: c.pyStr, raw: v };
    }
    const v = this.node(n);
    return { text: pyStrOf(v) };
  }

  /** End-of-line comment of a pair/item: after a scalar/flow value, or after `key:`. */
  private valueComment(valueNode: YamlNode | null, keyNode: YamlNode | null): { text: string; col: number } | undefined {
    const blockCollection = (isMap(valueNode) || isSeq(valueNode)) && !valueNode.flow;
    const emptyValue = valueNode === null || (isScalar(valueNode) && valueNode.source === "" && valueNode.type === "PLAIN");
    if (blockCollection || emptyValue) {
      const end = keyNode?.range?.[1];
      return end === undefined ? undefined : this.commentAfterKey(end);
    }
    if (isScalar(valueNode) && (valueNode.type === "BLOCK_LITERAL" || valueNode.type === "BLOCK_FOLDED")) return undefined;
    const end = valueNode?.range?.[1];
    const after = end === undefined ? undefined : this.eolComment(end);
    if (after) return after;
    // `key:  # comment` with the value on the next line: ruamel writes it after the value
    const keyEnd = keyNode?.range?.[1];
    const start = valueNode?.range?.[0];
    if (keyEnd === undefined || start === undefined || this.map.lineOf(start) === this.map.lineOf(keyEnd)) return undefined;
    return this.commentAfterKey(keyEnd);
  }

  private sequence(n: YamlSeq): YSeq {
    const s = new YSeq();
    if (n.flow) s.flow = true;
    if (n.range) this.setPos(s, n.range[0]);
    n.items.forEach((it, i) => {
      const node = it as YamlNode | null;
      const dash = n.flow ? undefined : this.dashOffset(n, i);
      const item: YItem = { value: null };
      if (dash !== undefined) {
        const run = this.takeRunAbove(dash);
        // above the first item: the item's own; above a later one: the previous leaf's
        if (run !== undefined) this.placeRun(run, item, i === 0 ? { kind: "root" } : undefined);
      }
      const start = node?.range?.[0] ?? dash;
      if (start !== undefined) {
        const p = this.pos(start);
        item.line = item.valueLine = p.line;
        item.col = item.valueCol = p.col;
      }
      if (!n.flow) {
        const c = this.itemComment(node, dash);
        if (c) {
          item.comment = c.text;
          item.commentCol = c.col;
        }
      }
      s.items.push(item);
      const block = isBlockCollection(node);
      item.value = this.node(node, block ? { kind: "itemValue", owner: item } : undefined);
      if (!block && !n.flow) this.lastLeaf = item;
    });
    return s;
  }

  private itemComment(node: YamlNode | null, dash: number | undefined): { text: string; col: number } | undefined {
    if ((isMap(node) || isSeq(node)) && !node.flow) return dash === undefined ? undefined : this.eolComment(dash + 1);
    if (isScalar(node) && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED")) return undefined;
    const empty = node === null || (isScalar(node) && node.source === "" && node.type === "PLAIN");
    if (empty) return dash === undefined ? undefined : this.eolComment(dash + 1);
    const end = node?.range?.[1];
    return end === undefined ? undefined : this.eolComment(end);
  }

  private pos(offset: number): { line: number; col: number } {
    const m = this.map.mark(offset);
    return { line: m.line + 1, col: m.column + 1 };
  }

  private setPos(target: YMap | YSeq, offset: number): void {
    const p = this.pos(offset);
    target.line = p.line;
    target.col = p.col;
  }

  /**
   * ruamel's `fold_pos` for a folded scalar: where in the value a source line break was folded
   * (recorded for every break between two lines at the scalar's indentation).
   */
  private foldPositions(n: YamlScalar, value: string): number[] | undefined {
    const range = n.range;
    if (!range) return undefined;
    const src = this.map.text.slice(range[0], range[1]);
    const header = /^>([1-9]?)([+-]?)([1-9]?)[^\n]*\n?/.exec(src);
    if (!header || header[1] || header[3]) return undefined;
    const lines = src.slice(header[0].length).split("\n");
    let indent = 0;
    for (const l of lines) {
      if (l.trim() !== "") {
        indent = l.length - l.trimStart().length;
        break;
      }
    }
    if (indent === 0) return undefined;
    const positions: number[] = [];
    let out = "";
    let i = 0;
    // skip leading empty lines (they become line breaks)
    while (i < lines.length && lines[i].trim() === "" && lines[i].length <= indent) {
      out += "\n";
      i++;
    }
    let prevNormal = false;
    let pendingBreaks = 0;
    let first = true;
    for (; i < lines.length; i++) {
      const l = lines[i];
      if (l.trim() === "" && l.length <= indent) {
        pendingBreaks++;
        continue;
      }
      if (l.length - l.trimStart().length < indent) break;
      const body = l.slice(indent);
      const normal = !(body.startsWith(" ") || body.startsWith("\t"));
      if (!first) {
        positions.push(out.length);
        if (prevNormal && normal) out += pendingBreaks ? "\n".repeat(pendingBreaks) : " ";
        else out += "\n" + "\n".repeat(pendingBreaks);
      }
      pendingBreaks = 0;
      out += body;
      prevNormal = normal;
      first = false;
    }
    if (!value.startsWith(out)) return undefined;
    return positions;
  }

  // --- duplicate keys (ruamel SafeConstructor.check_mapping_key, breadth first) -------------

  private checkDuplicates(root: YamlNode): void {
    const queue: YamlNode[] = [root];
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i];
      if (isMap(n)) {
        this.checkMapping(n);
        for (const p of n.items) if (p.value) queue.push(p.value as YamlNode);
      } else if (isSeq(n)) {
        for (const it of n.items) if (it) queue.push(it as YamlNode);
      }
    }
  }

  private checkMapping(n: YamlMap): void {
    const seen = new Map<string, string>();
    for (const p of n.items) {
      const keyNode = p.key as YamlNode | null;
      if (isScalar(keyNode) && keyNode.type === "PLAIN" && keyNode.value === "<<") continue;
      if (isMap(keyNode)) {
        throw new YamlParseError(
          "while constructing a mapping",
          this.map.mark(nodeStart(n)),
          "found unhashable key",
          this.map.mark(nodeStart(keyNode)),
        );
      }
      const key = this.keyInfo(keyNode);
      const value = this.shallowStr(p.value as YamlNode | null);
      const original = seen.get(key.keyId);
      if (original !== undefined) {
        const start = nodeStart(n);
        const at = keyNode ? nodeStart(keyNode) : start;
        throw new YamlParseError(
          "while constructing a mapping",
          this.map.mark(start),
          `found duplicate key "${key.pyStr}" with value "${value}" (original value: "${original}")`,
          this.map.mark(at),
        );
      }
      seen.set(key.keyId, value);
    }
  }

  private keyInfo(n: YamlNode | null): { keyId: string; pyStr: string } {
    if (n === null) return { keyId: "null", pyStr: "None" };
    if (isScalar(n)) {
      if (n.type === "BLOCK_LITERAL" || n.type === "BLOCK_FOLDED" || n.type !== "PLAIN") {
        const s = String(n.value);
        return { keyId: "s:" + s, pyStr: s };
      }
      const c = constructPlain(String(n.value));
      return { keyId: c.keyId, pyStr: c.pyStr };
    }
    const s = this.map.text.slice(n.range?.[0] ?? 0, n.range?.[1] ?? 0);
    return { keyId: "c:" + s, pyStr: s };
  }

  /** `str(value)` of a value while its mapping is being constructed (collections still empty). */
  private shallowStr(n: YamlNode | null): string {
    if (n === null) return "None";
    if (isAlias(n)) {
      const target = this.anchorNodes.get(n.source);
      return target === undefined || isAlias(target) ? "None" : this.shallowStr(target);
    }
    if (isMap(n)) return "{}";
    if (isSeq(n)) return "[]";
    if (isScalar(n)) {
      if (n.type === "PLAIN" && !n.tag) return constructPlain(String(n.value)).pyStr;
      return String(n.value);
    }
    return "None";
  }
}

/** Where libyaml's mark for a node is: its first character (a mapping's first key). */
function nodeStart(n: YamlNode): number {
  let start = n.range?.[0] ?? 0;
  if (isMap(n) && !n.flow) {
    const first = (n.items[0]?.key as YamlNode | null)?.range?.[0];
    if (first !== undefined && first < start) start = first;
  }
  return start;
}

function strConstructed(value: YValue, s: string): Constructed {
  return { value, pyStr: s, keyId: "s:" + s };
}

function numericKeyId(v: number | bigint | boolean): string {
  if (typeof v === "boolean") return "n:" + (v ? "1" : "0");
  if (typeof v === "bigint") return "n:" + v.toString();
  if (Number.isInteger(v)) return "n:" + BigInt(v).toString();
  return "f:" + floatRepr(v);
}

/** Construct a plain scalar with ruamel's YAML 1.2 resolver and constructors. */
function constructPlain(raw: string): Constructed {
  switch (resolvePlain(raw)) {
    case "null":
      return { value: null, pyStr: "None", keyId: "null" };
    case "bool": {
      const b = raw.toLowerCase() === "true";
      return { value: b, pyStr: b ? "True" : "False", keyId: numericKeyId(b) };
    }
    case "int": {
      const v = parseYamlInt(raw);
      if (v === undefined) return strConstructed(raw, raw);
      return { value: v, pyStr: v.toString(), keyId: numericKeyId(v) };
    }
    case "float": {
      const v = parseYamlFloat(raw);
      return { value: v, pyStr: floatRepr(v), keyId: numericKeyId(v) };
    }
    default:
      return strConstructed(raw, raw);
  }
}

function parseYamlInt(raw: string): bigint | undefined {
  let s = raw.replace(/_/g, "");
  let sign = 1n;
  if (s.startsWith("-")) {
    sign = -1n;
    s = s.slice(1);
  } else if (s.startsWith("+")) {
    s = s.slice(1);
  }
  if (s === "") return undefined;
  try {
    if (s.startsWith("0b")) return sign * BigInt(s);
    if (s.startsWith("0x")) return sign * BigInt(s);
    if (s.startsWith("0o")) return sign * BigInt(s);
    return sign * BigInt(s);
  } catch {
    return undefined;
  }
}

function parseYamlFloat(raw: string): number {
  let s = raw.replace(/_/g, "").toLowerCase();
  let sign = 1;
  if (s.startsWith("-")) {
    sign = -1;
    s = s.slice(1);
  } else if (s.startsWith("+")) {
    s = s.slice(1);
  }
  if (s === ".inf") return sign * Infinity;
  if (s === ".nan") return NaN;
  return sign * Number(s);
}

/** Python `str()` of a model value (used for coerced keys and error messages). */
function pyStrOf(v: YValue): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return floatRepr(v);
  if (typeof v === "string") return v;
  if (v instanceof YBlockStr) return v.value;
  if (v instanceof YSeq) return "[" + v.items.map((it) => reprOf(it.value)).join(", ") + "]";
  return "{" + v.pairs().map((p) => strRepr(p.key) + ": " + reprOf(p.value)).join(", ") + "}";
}

function reprOf(v: YValue): string {
  if (typeof v === "string") return strRepr(v);
  if (v instanceof YBlockStr) return strRepr(v.value);
  return pyStrOf(v);
}
