// What a command changed that git should know about (dvc/repo/scm_context.py): .gitignore
// entries written, DVC files to track. At the end: stage them (core.autostage) or return the
// `git add` hint.
import * as path from "node:path";
import { addGitignoreEntry, removeGitignoreEntry } from "./scm.js";
import type { Repo } from "./repo.js";
import type { WriteBehind } from "../util/write-behind.js";

/** shlex.quote */
export function shQuote(s: string): string {
  if (s === "") return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

export class ScmContext {
  readonly files = new Set<string>();
  /** Outputs git-ignored by this command: undone if the command fails. */
  private readonly ignored: string[] = [];
  /** While set (a sequential repro), .gitignore writes go through it; its owner flushes it
   * before rollback() or finish() can run. */
  writeBehind: WriteBehind | null = null;
  constructor(private readonly repo: Repo) {}

  track(abs: string): void {
    if (this.repo.git) this.files.add(abs);
  }

  /** Git-ignore an output unless git already ignores it. */
  async ignore(abs: string): Promise<void> {
    const git = this.repo.git;
    if (!git) return;
    if (git.isIgnored(abs)) return;
    const { file, added, content } = await addGitignoreEntry(abs, this.writeBehind ?? undefined);
    if (added !== null) git.noteAppended(path.dirname(abs), added, content);
    this.track(file);
    this.ignored.push(abs);
  }

  /** A failed command: remove the .gitignore entries it added, print no hint (scm_context). */
  async rollback(): Promise<void> {
    for (const abs of this.ignored.splice(0)) await this.ignoreRemove(abs);
    this.files.clear();
  }

  async ignoreRemove(abs: string): Promise<void> {
    const git = this.repo.git;
    if (!git) return;
    const file = await removeGitignoreEntry(abs);
    git.invalidate(path.dirname(abs));
    if (file) this.track(file);
  }

  /** Stage the files (autostage) and return null, or return the hint text to print. */
  finish(autostage: boolean): string | null {
    const git = this.repo.git;
    if (!git || this.files.size === 0) return null;
    if (autostage) {
      git.add([...this.files]);
      return null;
    }
    const rels = [...this.files].map((f) => shQuote(path.relative(process.cwd(), f)));
    return (
      `\nTo track the changes with git, run:\n\n\tgit add ${rels.join(" ")}\n` +
      "\nTo enable auto staging, run:\n\n\tdvc config core.autostage true"
    );
  }
}
