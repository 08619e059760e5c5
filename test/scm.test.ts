// src/repo/scm.ts: in-process .gitignore matching must agree with `git check-ignore` (real git),
// both for the anchored `/name` entries DVC writes (a set lookup) and for general patterns (the
// `ignore` package), including a file that starts simple and gains other rules later.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Git } from "../src/repo/scm.js";

function gitIgnored(root: string, paths: string[]): Set<string> {
  const r = spawnSync("git", ["check-ignore", "--no-index", "--stdin"], { cwd: root, input: paths.join("\n") + "\n", encoding: "utf8" });
  return new Set(r.stdout.split("\n").filter(Boolean));
}

function check(root: string, git: Git, paths: string[]): void {
  const expected = gitIgnored(root, paths);
  for (const p of paths) {
    const abs = path.join(root, p);
    assert.equal(git.isIgnored(abs), expected.has(p), `${p}: git says ${expected.has(p) ? "ignored" : "not ignored"}`);
  }
}

test("Git.isIgnored agrees with git check-ignore for DVC's entries and general patterns", () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dvc-ts-scm-")));
  try {
    spawnSync("git", ["init", "-q"], { cwd: root });
    const files = ["model.pkl", "data/raw.csv", "data/sub/x.bin", "metrics.json", "a b.txt", "logs/1.log", "keep.log", "data.dvc", "sub/model.pkl", "sub/deep/out.txt"];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), "x");
    }
    const paths = [...files, "data", "data/sub", "logs", "sub", "sub/deep"];
    // Only anchored names, as `dvc add`/`repro` write them (one nested .gitignore too).
    fs.writeFileSync(path.join(root, ".gitignore"), "/model.pkl\n/data\n# a comment\n\n/metrics.json\n");
    fs.writeFileSync(path.join(root, "sub", ".gitignore"), "/deep\n");
    check(root, new Git(root), paths);
    // The same file gains a glob and a negation: everything must still agree.
    fs.appendFileSync(path.join(root, ".gitignore"), "*.log\n!keep.log\n/a\\ b.txt\n");
    check(root, new Git(root), paths);
    // Rules appended while a Git object is in use (noteAppended) are taken into account.
    const git = new Git(root);
    check(root, git, paths);
    fs.appendFileSync(path.join(root, "sub", ".gitignore"), "/model.pkl\n");
    git.noteAppended(path.join(root, "sub"), "/model.pkl");
    fs.appendFileSync(path.join(root, "sub", ".gitignore"), "!/deep\n");
    git.noteAppended(path.join(root, "sub"), "!/deep");
    check(root, git, paths);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("Git.noteAppended with the file's content: rules of a .gitignore not on disk yet are used", () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dvc-ts-scm-")));
  try {
    spawnSync("git", ["init", "-q"], { cwd: root });
    fs.mkdirSync(path.join(root, "sub"));
    const git = new Git(root);
    // looked at while sub/ has no .gitignore: cached as "no rules"
    assert.equal(git.isIgnored(path.join(root, "sub", "a.txt")), false);
    // an entry is written in the background: the file is not there yet
    git.noteAppended(path.join(root, "sub"), "/a.txt", "/a.txt\n");
    assert.equal(fs.existsSync(path.join(root, "sub", ".gitignore")), false);
    assert.equal(git.isIgnored(path.join(root, "sub", "a.txt")), true);
    assert.equal(git.isIgnored(path.join(root, "sub", "b.txt")), false);
    // and for a directory never looked at before
    git.noteAppended(path.join(root, "other"), "/c.txt", "# kept\n/c.txt\n");
    assert.equal(git.isIgnored(path.join(root, "other", "c.txt")), true);
    // once on disk, git agrees
    fs.writeFileSync(path.join(root, "sub", ".gitignore"), "/a.txt\n");
    check(root, git, ["sub/a.txt", "sub/b.txt"]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
