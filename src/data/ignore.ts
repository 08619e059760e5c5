// `.dvcignore` handling with DVC's exact semantics (dvc/ignore.py, dvc/pathspec_math.py and
// pathspec 0.12 GitWildMatchPattern):
// - each `.dvcignore` line is stripped; blank lines and `#` comments are dropped, but line
//   numbers count every line (`.dvcignore:4:secret.txt`);
// - patterns of a nested `sub/.dvcignore` are rewritten relative to the repo root
//   (`*.tmp` → `sub/**/*.tmp`) and appended after the ancestors' patterns;
// - built-in patterns `.hg/`, `.git/`, `.git`, `.dvc/` come first and apply at any depth;
// - directories holding a `.dvc/` sub-repo are ignored;
// - matching runs on every prefix of the path (a path inside an ignored dir is ignored); the
//   last matching pattern group wins, and inside a group of consecutive exclude patterns the
//   first one that matches is the one reported.
import * as fs from "node:fs";
import * as path from "node:path";

export const DVCIGNORE_FILE = ".dvcignore";
const DEFAULT_PATTERNS = [".hg/", ".git/", ".git", ".dvc/"];

/** A pattern and where it came from (`file:line:original`, "" for built-ins). */
export interface PatternInfo {
  pattern: string;
  info: string;
}

/** DVC's `str(PatternInfo)`. */
export function patternInfoStr(p: PatternInfo): string {
  return p.info || `:${p.pattern}`;
}

export interface MatchResult {
  ignored: boolean;
  /** Matching patterns as `file:line:pattern`; the last one decided. */
  patterns: string[];
}

// Python str.isspace() characters, for str.strip().
const PY_SPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && PY_SPACE.includes(s[a])) a++;
  while (b > a && PY_SPACE.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

const RE_SPECIAL = new Set(["^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/"]);

function reEscapeChar(ch: string): string {
  return RE_SPECIAL.has(ch) ? "\\" + ch : ch;
}

/** pathspec `_translate_segment_glob`, emitting a JavaScript (u-flag) regex. */
function translateSegmentGlob(pattern: string): string {
  const chars = Array.from(pattern);
  let escape = false;
  let regex = "";
  let i = 0;
  const end = chars.length;
  while (i < end) {
    const ch = chars[i++];
    if (escape) {
      escape = false;
      regex += reEscapeChar(ch);
    } else if (ch === "\\") {
      escape = true;
    } else if (ch === "*") {
      regex += "[^/]*";
    } else if (ch === "?") {
      regex += "[^/]";
    } else if (ch === "[") {
      let j = i;
      if (j < end && (chars[j] === "!" || chars[j] === "^")) j++;
      if (j < end && chars[j] === "]") j++;
      while (j < end && chars[j] !== "]") j++;
      if (j < end) {
        j++;
        let expr = "[";
        if (chars[i] === "!" || chars[i] === "^") {
          expr += "^";
          i++;
        }
        expr += chars.slice(i, j).join("").replace(/\\/g, "\\\\");
        regex += expr;
        i = j;
      } else {
        regex += "\\[";
      }
    } else {
      regex += reEscapeChar(ch);
    }
  }
  if (escape) throw new Error(`Escape character found with no next character to escape: ${pattern}`);
  return regex;
}

/**
 * pathspec 0.12 `GitWildMatchPattern.pattern_to_regex`: the regex source and whether it
 * excludes (true) or re-includes (false); null for a no-op pattern. Throws on invalid ones.
 */
export function patternToRegex(input: string): { source: string; ignore: boolean } | null {
  let pattern = input.endsWith("\\ ") ? input.replace(/^\s+/, "") : pyStrip(input);
  if (pattern.startsWith("#") || pattern === "/" || pattern === "") return null;
  let ignore = true;
  if (pattern.startsWith("!")) {
    ignore = false;
    pattern = pattern.slice(1);
  }
  let segs = pattern.split("/");
  const isDirPattern = segs[segs.length - 1] === "";
  for (let i = segs.length - 1; i > 0; i--) {
    if (segs[i - 1] === "**" && segs[i] === "**") segs.splice(i, 1);
  }
  let override: string | undefined;
  if (segs.length === 2 && segs[0] === "**" && segs[1] === "") override = "^.+/.*$";
  if (segs[0] === "") {
    segs = segs.slice(1);
  } else if (segs.length === 1 || (segs.length === 2 && segs[1] === "")) {
    if (segs[0] !== "**") segs.unshift("**");
  }
  if (segs.length === 0) throw new Error(`Invalid git pattern: ${input}`);
  if (segs[segs.length - 1] === "" && segs.length > 1) segs[segs.length - 1] = "**";
  if (override !== undefined) return { source: override, ignore };
  const out: string[] = ["^"];
  let needSlash = false;
  const end = segs.length - 1;
  segs.forEach((seg, i) => {
    if (seg === "**") {
      if (i === 0 && i === end) out.push("[^/]+(?:/.*)?");
      else if (i === 0) {
        out.push("(?:.+/)?");
        needSlash = false;
      } else if (i === end) out.push("/.*");
      else {
        out.push("(?:/.+)?");
        needSlash = true;
      }
      return;
    }
    if (needSlash) out.push("/");
    out.push(seg === "*" ? "[^/]+" : translateSegmentGlob(seg));
    if (i === end) out.push("(?:/.*)?");
    needSlash = true;
  });
  out.push("$");
  return { source: out.join(""), ignore };
}

// dvc/pathspec_math.py change_rule: re-base a pattern from directory `rel` to the repo root.
function changeRule(rule: string, rel: string): string {
  rule = pyStrip(rule);
  if (rule.startsWith("#")) return rule;
  let notIgnore = false;
  if (rule.startsWith("!")) {
    notIgnore = true;
    rule = rule.slice(1);
  }
  let matchAll: boolean;
  if (rule.slice(0, -1).includes("/") && !rule.startsWith("**/")) {
    matchAll = false;
    if (rule.startsWith("/")) rule = rule.slice(1);
  } else {
    matchAll = true;
    if (rule.startsWith("**/")) rule = rule.slice(3);
  }
  if (rule.startsWith("\\")) rule = rule.slice(1);
  rule = matchAll ? `/**/${rule}` : `/${rule}`;
  rule = notIgnore ? `!/${rel}${rule}` : `/${rel}${rule}`;
  // pathspec normalize_file
  if (rule.startsWith("/")) rule = rule.slice(1);
  else if (rule.startsWith("./")) rule = rule.slice(2);
  return rule;
}

/**
 * Compile a translated pattern: with the `u` flag (Python matches code points), or without it
 * for bracket expressions that only Python's looser syntax accepts (a lone `]` and the like).
 */
function compile(source: string): RegExp {
  try {
    return new RegExp(source, "u");
  } catch {
    return new RegExp(source);
  }
}

interface Member {
  re: RegExp;
  pi: PatternInfo;
}

interface Group {
  ignore: boolean;
  dirOnly: boolean;
  members: Member[];
}

/** The merged, root-relative pattern list in effect for one directory (DvcIgnorePatterns). */
export class PatternSet {
  readonly groups: Group[] = [];
  private readonly cache = new Map<string, { ignore: boolean; pi?: PatternInfo }>();

  constructor(readonly patterns: readonly PatternInfo[]) {
    for (const pi of patterns) {
      let r: { source: string; ignore: boolean } | null;
      let re: RegExp;
      try {
        r = patternToRegex(pi.pattern);
        if (!r) continue;
        re = compile(r.source);
      } catch {
        continue; // DVC would fail on it; we treat an invalid pattern as matching nothing
      }
      const dirOnly = pi.pattern.endsWith("/");
      const last = this.groups[this.groups.length - 1];
      // Exclude patterns are grouped (first match reported); include patterns stand alone.
      if (r.ignore && last && last.ignore && last.dirOnly === dirOnly) last.members.push({ re, pi });
      else this.groups.push({ ignore: r.ignore, dirOnly, members: [{ re, pi }] });
    }
  }

  private leafFn: ((name: string, isDir: boolean) => boolean) | null | undefined;

  /**
   * `matchesLeaf` by base name alone, when every pattern is a plain name (`.git`, `.dvc/`,
   * `*`-free names without slashes): such a pattern matches a leaf exactly when its name is that
   * name. Null otherwise. The walk of a 20,000-file directory then does a set lookup per file
   * instead of building its path and running the regexes.
   */
  leafMatcher(): ((name: string, isDir: boolean) => boolean) | null {
    if (this.leafFn !== undefined) return this.leafFn;
    const groups: { ignore: boolean; dirOnly: boolean; names: Set<string> }[] = [];
    for (const g of this.groups) {
      const names = new Set<string>();
      for (const m of g.members) {
        let p = m.pi.pattern;
        if (p.startsWith("!")) p = p.slice(1);
        if (p.endsWith("/")) p = p.slice(0, -1);
        if (!/^[^/*?[\]\\!#\s]+$/.test(p)) return (this.leafFn = null);
        names.add(p);
      }
      groups.push({ ignore: g.ignore, dirOnly: g.dirOnly, names });
    }
    this.leafFn = (name: string, isDir: boolean): boolean => {
      for (let g = groups.length - 1; g >= 0; g--) {
        const group = groups[g];
        if (group.dirOnly && !isDir) continue;
        if (group.names.has(name)) return group.ignore;
      }
      return false;
    };
    return this.leafFn;
  }

  get empty(): boolean {
    return this.groups.length === 0;
  }

  /** `_find_matching_pattern` for one root-relative path. */
  findMatch(p: string, isDir: boolean): { ignore: boolean; pi?: PatternInfo } {
    const ck = isDir ? p + "\0d" : p;
    const hit = this.cache.get(ck);
    if (hit) return hit;
    const res = this.findUncached(p, isDir);
    if (this.cache.size < 100000) this.cache.set(ck, res);
    return res;
  }

  private findUncached(p: string, isDir: boolean): { ignore: boolean; pi?: PatternInfo } {
    const alt = isDir && !p.endsWith("/") ? p + "/" : undefined;
    for (let g = this.groups.length - 1; g >= 0; g--) {
      const group = this.groups[g];
      if (group.dirOnly && !isDir) continue;
      for (const m of group.members) if (m.re.test(p)) return { ignore: group.ignore, pi: m.pi };
      if (alt !== undefined) for (const m of group.members) if (m.re.test(alt)) return { ignore: group.ignore, pi: m.pi };
    }
    return { ignore: false };
  }

  /** Whether exactly this path (its parents assumed not ignored) is ignored. */
  matchesLeaf(p: string, isDir: boolean): boolean {
    return this.findUncached(p, isDir).ignore;
  }

  /** `_ignore`: check every prefix of the path; a prefix that is ignored decides. */
  match(p: string, isDir: boolean): { ignored: boolean; pis: PatternInfo[] } {
    const parts = p.split("/");
    let result = false;
    const pis: PatternInfo[] = [];
    for (let i = 1; i <= parts.length; i++) {
      const last = i === parts.length;
      const r = this.findMatch(parts.slice(0, i).join("/"), isDir || !last);
      result = r.ignore;
      if (!last && !result) continue;
      if (r.pi) pis.push(r.pi);
      if (result) break;
    }
    return { ignored: result, pis };
  }
}

/** Read a `.dvcignore` as DVC does: universal newlines, stripped, comments and blanks dropped. */
export function readIgnoreFile(file: string, name: string): PatternInfo[] {
  const text = fs.readFileSync(file, "utf8");
  const out: PatternInfo[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, idx) => {
    const line = pyStrip(raw);
    if (!line || line.startsWith("#")) return;
    out.push({ pattern: line, info: `${name}:${idx + 1}:${line}` });
  });
  return out;
}

function toPosix(p: string): string {
  return path.sep === "/" ? p : p.split(path.sep).join("/");
}

/** What DVC's `check-ignore` reports for one target. */
export interface CheckIgnoreResult {
  file: string;
  match: boolean;
  patterns: string[];
}

/**
 * The `.dvcignore` filter of one repository. Paths are given relative to the repo root
 * (POSIX) or absolute; `.dvcignore` files are read lazily, per directory, on first use.
 */
export class DvcIgnoreFilter {
  private readonly sets = new Map<string, PatternSet>();
  private readonly subrepo = new Map<string, boolean>();

  constructor(readonly root: string) {
    this.root = path.resolve(root);
  }

  /** The root-relative POSIX path of `abs`, or null when it is outside the repo. */
  relOf(abs: string): string | null {
    const r = path.relative(this.root, path.resolve(abs));
    if (r === "") return "";
    if (r === ".." || r.startsWith(".." + path.sep) || path.isAbsolute(r)) return null;
    return toPosix(r);
  }

  /**
   * The patterns in effect for directory `relDir` ("" = root). `hasIgnoreFile` may be passed
   * when the caller already listed the directory, to save a stat.
   */
  setFor(relDir: string, hasIgnoreFile?: boolean): PatternSet {
    const cached = this.sets.get(relDir);
    if (cached) return cached;
    // The root starts from the built-ins; any other directory from its parent's set.
    const inherited = relDir === "" ? new PatternSet(DEFAULT_PATTERNS.map((p) => ({ pattern: p, info: "" }))) : this.setFor(parentOf(relDir));
    const fileRel = relDir === "" ? DVCIGNORE_FILE : `${relDir}/${DVCIGNORE_FILE}`;
    const abs = path.join(this.root, fileRel);
    let set = inherited;
    // DVC skips a .dvcignore that the patterns above it already ignore.
    if ((hasIgnoreFile ?? isFileSync(abs)) && !inherited.match(fileRel, false).ignored) {
      let own: PatternInfo[] = [];
      try {
        own = readIgnoreFile(abs, fileRel);
      } catch {
        own = [];
      }
      if (own.length) {
        const rebased = relDir === "" ? own : own.map((p) => ({ pattern: changeRule(p.pattern, relDir), info: p.info }));
        set = new PatternSet([...inherited.patterns, ...rebased]);
      }
    }
    this.sets.set(relDir, set);
    return set;
  }

  /** True when `relDir` (non-root) holds a `.dvc` entry, i.e. is a DVC sub-repo. */
  isSubrepo(relDir: string, hasDvcDir?: boolean): boolean {
    if (relDir === "") return false;
    let v = this.subrepo.get(relDir);
    if (v === undefined) {
      v = hasDvcDir ?? fs.existsSync(path.join(this.root, relDir, ".dvc"));
      this.subrepo.set(relDir, v);
    }
    return v;
  }

  /** Full check of a root-relative path, with the patterns that matched. */
  check(rel: string, isDir: boolean): MatchResult {
    if (rel === "") return { ignored: false, patterns: [] };
    const parts = rel.split("/");
    for (let i = 1; i <= parts.length; i++) {
      if (i === parts.length && !isDir) break;
      const d = parts.slice(0, i).join("/");
      if (this.isSubrepo(d)) return { ignored: true, patterns: [`in sub_repo:${parts[i - 1]}`] };
    }
    const set = this.setFor(parts.slice(0, -1).join("/"));
    const r = set.match(rel, isDir);
    return { ignored: r.ignored, patterns: r.pis.map(patternInfoStr) };
  }

  /** Is the root-relative POSIX path ignored? */
  isIgnored(rel: string, isDir: boolean): boolean {
    return this.check(rel, isDir).ignored;
  }

  /** DVC `is_ignored` for an absolute (or cwd-relative) path: file or dir as it exists on disk. */
  isIgnoredPath(p: string): boolean {
    return this.explainPath(p) !== null;
  }

  /**
   * The pattern (`.dvcignore:4:secret.txt`) that ignores `p`, or null. Like DVC, an existing
   * path is checked as what it is; a missing one as a file, then as a directory.
   */
  explainPath(p: string): string | null {
    const rel = this.relOf(p);
    if (rel === null || rel === "") return null;
    const kind = kindOf(path.resolve(p));
    const tries = kind === "file" ? [false] : kind === "dir" ? [true] : [false, true];
    for (const isDir of tries) {
      const r = this.check(rel, isDir);
      if (r.ignored) return r.patterns[r.patterns.length - 1] ?? "";
    }
    return null;
  }

  /** Alias used by callers that print `Path '<abs>' is ignored by <pattern>`. */
  explain(p: string): string | null {
    return this.explainPath(p);
  }

  /** `dvc check-ignore` for one target (path as typed by the user). */
  checkIgnore(target: string): CheckIgnoreResult {
    const rel = this.relOf(target);
    if (rel === null || rel === "") return { file: target, match: false, patterns: [] };
    const r = this.check(rel, kindOf(path.resolve(target)) === "dir");
    return { file: target, match: r.ignored, patterns: r.patterns };
  }
}

function parentOf(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i < 0 ? "" : rel.slice(0, i);
}

function isFileSync(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function kindOf(p: string): "file" | "dir" | "none" {
  try {
    const st = fs.statSync(p);
    return st.isDirectory() ? "dir" : "file";
  } catch {
    return "none";
  }
}
