// Git integration. Ignore checks run in-process (the `ignore` package over the .gitignore
// files, .git/info/exclude and the global excludes file) so hot paths never spawn git; only
// "is it tracked" and autostaging call the git binary.
import { childProcess } from "../util/lazy.js";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import { isSubpath, relPosix, writeFileAtomic } from "../util/fs.js";
import type { WriteBehind } from "../util/write-behind.js";

/** The git work tree containing `dir`, or null. */
export function findGitRoot(dir: string): string | null {
  let cur = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(cur, ".git"))) return cur;
    const parent = path.dirname(cur);
    if (parent === cur) return null;
    cur = parent;
  }
}

/**
 * One .gitignore's rules. While every rule is an anchored plain name (`/model.pkl`, what DVC
 * writes), a test is a set lookup; the first other rule (globs, `!`, escapes, nested paths)
 * hands every test to the `ignore` package, which then holds all the lines in order. With a
 * hundred entries the package took ~1 ms a test, paid twice per stage in `repro`.
 */
class Rules {
  private readonly names = new Set<string>();
  private readonly lines: string[] = [];
  private full: Ignore | null = null;
  private simple = true;

  add(text: string): this {
    for (const line of text.split(/\r?\n|\r/)) {
      this.lines.push(line);
      if (this.full) this.full.add(line);
      if (!this.simple || line === "" || line.startsWith("#")) continue;
      if (/^\/[^*?[\]\\!#/\s]+$/.test(line)) this.names.add(line.slice(1));
      else this.simple = false;
    }
    return this;
  }

  /** `ignore`'s test for a path relative to the .gitignore's directory (dirs end with "/"). */
  test(rel: string): { ignored: boolean; unignored: boolean } {
    if (!this.simple) {
      this.full ??= ignore().add(this.lines.join("\n"));
      return this.full.test(rel);
    }
    // `/name` matches that entry of this directory, file or directory, and so all beneath it.
    const slash = rel.indexOf("/");
    return { ignored: this.names.has(slash < 0 ? rel : rel.slice(0, slash)), unignored: false };
  }
}

export class Git {
  private matchers = new Map<string, Rules | null>();
  private globalMatcher: Ignore | null | undefined;

  constructor(readonly root: string) {}

  private gitDir(): string {
    const dotgit = path.join(this.root, ".git");
    try {
      if (statSync(dotgit).isFile()) {
        const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotgit, "utf8"));
        if (m) return path.resolve(this.root, m[1].trim());
      }
    } catch {
      /* fall through */
    }
    return dotgit;
  }

  private loadRules(file: string): Rules | null {
    try {
      return new Rules().add(readFileSync(file, "utf8"));
    } catch {
      return null;
    }
  }

  /** Rules of the .gitignore in `dir` (cached). */
  private matcherFor(dir: string): Rules | null {
    let m = this.matchers.get(dir);
    if (m === undefined) {
      m = this.loadRules(path.join(dir, ".gitignore"));
      this.matchers.set(dir, m);
    }
    return m;
  }

  private globalRules(): Ignore | null {
    if (this.globalMatcher === undefined) {
      const rules = ignore();
      let any = false;
      const exclude = path.join(this.gitDir(), "info", "exclude");
      const xdg = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
      for (const f of [path.join(xdg, "git", "ignore"), exclude]) {
        try {
          rules.add(readFileSync(f, "utf8"));
          any = true;
        } catch {
          /* absent */
        }
      }
      this.globalMatcher = any ? rules : null;
    }
    return this.globalMatcher;
  }

  /**
   * A line was appended to `dir`/.gitignore: extend the cached rules instead of re-reading.
   * With `content` (what the file holds now), rules not cached yet are taken from it: the
   * file may still be on its way to disk (a background write).
   */
  noteAppended(dir: string, line: string, content?: string): void {
    const m = this.matchers.get(dir);
    if (m) m.add(line);
    else if (content !== undefined) this.matchers.set(dir, new Rules().add(content));
    else this.matchers.delete(dir);
  }

  /** Forget cached .gitignore rules (after we edit one). */
  invalidate(dir?: string): void {
    if (dir) this.matchers.delete(dir);
    else this.matchers.clear();
  }

  /** Whether `abs` itself (not its parents) matches a rule, as the last matching rule says. */
  private matchesSelf(abs: string, isDir: boolean): boolean {
    let decision = false;
    const rel = relPosix(this.root, abs) + (isDir ? "/" : "");
    const g = this.globalRules();
    if (g) {
      const r = g.test(rel);
      if (r.ignored) decision = true;
      else if (r.unignored) decision = false;
    }
    const dirs: string[] = [];
    for (let d = path.dirname(abs); isSubpath(d, this.root); d = path.dirname(d)) {
      dirs.unshift(d);
      if (d === this.root) break;
    }
    for (const d of dirs) {
      const m = this.matcherFor(d);
      if (!m) continue;
      const r = m.test(relPosix(d, abs) + (isDir ? "/" : ""));
      if (r.ignored) decision = true;
      else if (r.unignored) decision = false;
    }
    return decision;
  }

  /** git check-ignore semantics: a path is ignored if it or any parent directory is. */
  isIgnored(abs: string, isDir?: boolean): boolean {
    abs = path.resolve(abs);
    if (!isSubpath(abs, this.root) || abs === this.root) return false;
    const parts = relPosix(this.root, abs).split("/");
    let cur = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      cur = path.join(cur, parts[i]);
      if (this.matchesSelf(cur, true)) return true;
    }
    if (isDir === undefined) {
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        isDir = false;
      }
    }
    return this.matchesSelf(abs, isDir);
  }

  private git(args: string[], cwd = this.root): { status: number; stdout: string; stderr: string } {
    const r = childProcess().spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
    return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  }

  /** The subset of `paths` (absolute) that git tracks (files, or directories with tracked files). */
  tracked(paths: string[]): Set<string> {
    const out = new Set<string>();
    if (paths.length === 0) return out;
    const rels = paths.map((p) => relPosix(this.root, p));
    const r = this.git(["ls-files", "-z", "--", ...rels]);
    if (r.status !== 0) return out;
    const listed = r.stdout.split("\0").filter(Boolean);
    for (let i = 0; i < paths.length; i++) {
      const rel = rels[i];
      if (listed.some((f) => f === rel || f.startsWith(rel + "/"))) out.add(paths[i]);
    }
    return out;
  }

  /** `git add` (autostage). */
  add(paths: string[]): void {
    if (paths.length === 0) return;
    this.git(["add", "--", ...paths.map((p) => relPosix(this.root, p))]);
  }
}

/** pathspec's GitWildMatchPattern.escape: backslash before each of `[ ] ! * # ?`. */
export function escapeGitignore(name: string): string {
  return name.replace(/[[\]!*#?]/g, (c) => "\\" + c);
}

function splitKeepEnds(content: string): string[] {
  return content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Append `/<basename>` to the .gitignore beside `abs` (DVC's `_add_entry_to_gitignore`): a
 * newline first if the file does not end with one; skipped when the same line exists.
 */
export async function addGitignoreEntry(abs: string, writeBehind?: WriteBehind): Promise<{ file: string; added: string | null; content: string }> {
  const file = path.join(path.dirname(abs), ".gitignore");
  const entry = "/" + escapeGitignore(path.basename(abs));
  let content = "";
  const pending = writeBehind?.pending(file);
  if (pending !== undefined) content = typeof pending === "string" ? pending : Buffer.from(pending).toString("utf8");
  else {
    try {
      // Synchronous: a small file, read once per output; the thread-pool round trips of
      // fs.promises.readFile cost more than the read.
      content = readFileSync(file, "utf8");
    } catch {
      /* new file */
    }
  }
  const prefix = content.length === 0 || content.endsWith("\n") ? "" : "\n";
  const line = `${prefix}${entry}\n`;
  if (splitKeepEnds(content).includes(line)) return { file, added: null, content };
  if (writeBehind) writeBehind.write(file, content + line);
  else await writeFileAtomic(file, content + line);
  return { file, added: entry, content: content + line };
}

/** Remove the `/<basename>` line for `abs`; delete the .gitignore if it becomes empty. */
export async function removeGitignoreEntry(abs: string): Promise<string | null> {
  const file = path.join(path.dirname(abs), ".gitignore");
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const entry = "/" + escapeGitignore(path.basename(abs));
  const lines = splitKeepEnds(content);
  const kept = lines.filter((l) => l.trim() !== entry);
  if (kept.length === 0) {
    rmSync(file, { force: true });
    return null;
  }
  if (kept.length !== lines.length) await writeFileAtomic(file, kept.join(""));
  return file;
}
