// Unit tests for src/data/ignore.ts: `.dvcignore` semantics (spec §10.3, §2.1) — gitwildmatch
// patterns, negation, dir-only patterns, nested files, built-ins, sub-repos, and the
// `.dvcignore:LINE:PATTERN` reports.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DvcIgnoreFilter, PatternSet, patternToRegex } from "../src/data/ignore.js";
import { buildTree, walkFiles } from "../src/data/tree.js";

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function tmpdir(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dvc-ts-ign-")));
  made.push(d);
  return d;
}

function write(root: string, rel: string, content = ""): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

const INIT = "# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n";

function repo(dvcignore: string): string {
  const d = tmpdir();
  fs.mkdirSync(path.join(d, ".dvc"));
  write(d, ".dvcignore", INIT + dvcignore);
  return d;
}

async function walkRel(root: string, dir: string): Promise<string[]> {
  return (await walkFiles(path.join(root, dir), { ignore: new DvcIgnoreFilter(root) })).map((f) => f.rel).sort();
}

test("pathspec translation of common patterns", () => {
  assert.deepEqual(patternToRegex("*.tmp"), { source: "^(?:.+/)?[^/]*\\.tmp(?:/.*)?$", ignore: true });
  assert.deepEqual(patternToRegex("logs/"), { source: "^(?:.+/)?logs/.*$", ignore: true });
  assert.deepEqual(patternToRegex("/a/b"), { source: "^a/b(?:/.*)?$", ignore: true });
  assert.deepEqual(patternToRegex("!keep"), { source: "^(?:.+/)?keep(?:/.*)?$", ignore: false });
  assert.equal(patternToRegex("# comment"), null);
  assert.equal(patternToRegex("/"), null);
  assert.equal(patternToRegex("   "), null);
});

test("compat ignore-dvcignore-dir: *.tmp and logs/ leave keep.txt only", async () => {
  const d = repo("*.tmp\nlogs/\n");
  write(d, "data/keep.txt", "k\n");
  write(d, "data/skip.tmp", "tmp\n");
  write(d, "data/logs/l.txt", "log\n");
  const t = await buildTree(path.join(d, "data"), { ignore: new DvcIgnoreFilter(d) });
  assert.equal(t.oid, "c71eea03f58e264bbe7caee9acfa3616.dir");
  assert.equal(t.nfiles, 1);
  assert.equal(t.size, 2);
});

test("explain reports .dvcignore:LINE:PATTERN, counting comment lines", () => {
  const d = repo("secret.txt\nhidden/\n");
  write(d, "secret.txt", "s\n");
  write(d, "hidden/in.txt", "h\n");
  const ig = new DvcIgnoreFilter(d);
  assert.equal(ig.explain(path.join(d, "secret.txt")), ".dvcignore:4:secret.txt");
  assert.equal(ig.explain(path.join(d, "hidden")), ".dvcignore:5:hidden/");
  assert.equal(ig.explain(path.join(d, "hidden/in.txt")), ".dvcignore:5:hidden/");
  assert.equal(ig.explain(path.join(d, "hidden/dvc.yaml")), ".dvcignore:5:hidden/");
  assert.equal(ig.explain(path.join(d, "other.txt")), null);
  assert.equal(ig.explain("/elsewhere/secret.txt"), null);
  assert.equal(ig.isIgnored("secret.txt", false), true);
  assert.equal(ig.isIgnored("a/b/secret.txt", false), true);
});

test("negation re-includes, but not inside an ignored directory", async () => {
  const d = repo("*.log\n!keep.log\nbuild/\n!build/x.txt\n");
  write(d, "data/a.log");
  write(d, "data/keep.log");
  write(d, "data/build/x.txt");
  write(d, "data/b.txt");
  assert.deepEqual(await walkRel(d, "data"), ["b.txt", "keep.log"]);
  const ig = new DvcIgnoreFilter(d);
  assert.deepEqual(ig.check("data/keep.log", false), { ignored: false, patterns: [".dvcignore:5:!keep.log"] });
  assert.deepEqual(ig.check("data/a.log", false), { ignored: true, patterns: [".dvcignore:4:*.log"] });
  assert.deepEqual(ig.check("data/build/x.txt", false), { ignored: true, patterns: [".dvcignore:6:build/"] });
});

test("dir-only patterns do not match files; anchored patterns only match at their level", async () => {
  const d = repo("logs/\n/top.txt\nsub/deep.txt\n");
  write(d, "data/logs");
  write(d, "top.txt");
  write(d, "data/top.txt");
  write(d, "sub/deep.txt");
  write(d, "x/sub/deep.txt");
  const ig = new DvcIgnoreFilter(d);
  assert.equal(ig.isIgnored("data/logs", false), false);
  assert.equal(ig.isIgnored("data/logs", true), true);
  assert.equal(ig.isIgnored("top.txt", false), true);
  assert.equal(ig.isIgnored("data/top.txt", false), false);
  assert.equal(ig.isIgnored("sub/deep.txt", false), true);
  assert.equal(ig.isIgnored("x/sub/deep.txt", false), false);
  assert.deepEqual(await walkRel(d, "data"), ["logs", "top.txt"]);
});

test("nested .dvcignore files apply below their directory and merge with the root's", async () => {
  const d = repo("*.bak\n");
  write(d, "data/sub/.dvcignore", "# mine\n*.txt\n!important.txt\n");
  write(d, "data/a.txt");
  write(d, "data/a.bak");
  write(d, "data/sub/b.txt");
  write(d, "data/sub/important.txt");
  write(d, "data/sub/c.bak");
  write(d, "data/sub/deeper/d.txt");
  write(d, "data/sub/deeper/e.csv");
  const ig = new DvcIgnoreFilter(d);
  assert.equal(ig.explain(path.join(d, "data/sub/deeper/d.txt")), "data/sub/.dvcignore:2:*.txt");
  assert.equal(ig.explain(path.join(d, "data/sub/c.bak")), ".dvcignore:4:*.bak");
  assert.equal(ig.explain(path.join(d, "data/a.txt")), null);
  assert.equal(ig.explain(path.join(d, "data/sub/important.txt")), null);
  // Walking `data/sub` itself (the .dvcignore is ignored by nothing, so it is collected → error
  // only when inside the walked dir; here we walk from the repo level with forbid disabled).
  const files = (await walkFiles(path.join(d, "data"), { ignore: ig, forbidIgnoreFile: false })).map((f) => f.rel).sort();
  assert.deepEqual(files, ["a.txt", "sub/.dvcignore", "sub/deeper/e.csv", "sub/important.txt"]);
});

test("built-ins: .git, .hg and .dvc dirs at any depth; x.dvc/ is kept", async () => {
  const d = repo("");
  write(d, "data/.git/config");
  write(d, "data/h/.hg/store");
  write(d, "data/sub/.dvc/config");
  write(d, "data/x.dvc/kept.txt");
  write(d, "data/.gitignore");
  write(d, "data/.git2/kept");
  write(d, "data/.dvcx");
  assert.deepEqual(await walkRel(d, "data"), [".dvcx", ".git2/kept", ".gitignore", "x.dvc/kept.txt"]);
  const ig = new DvcIgnoreFilter(d);
  assert.deepEqual(ig.check("data/.git", true), { ignored: true, patterns: [":.git"] });
  assert.deepEqual(ig.check("data/h/.hg", true), { ignored: true, patterns: [":.hg/"] });
  assert.equal(ig.isIgnored("data/.git", false), true);
  assert.equal(ig.isIgnored(".dvc/config", false), true);
  assert.equal(ig.isIgnored("data/.hg", false), false);
});

test("a sub-repo (dir holding .dvc) inside a tracked dir is left out", async () => {
  const d = repo("");
  write(d, "data/a.txt");
  write(d, "data/nested/.dvc/config");
  write(d, "data/nested/inner.txt");
  // DVC tests `exists(dir/.dvc)`, so a plain file named .dvc marks a sub-repo too.
  write(d, "data/odd/.dvc");
  write(d, "data/odd/x.txt");
  assert.deepEqual(await walkRel(d, "data"), ["a.txt"]);
  const ig = new DvcIgnoreFilter(d);
  assert.deepEqual(ig.check("data/nested/inner.txt", false), { ignored: true, patterns: ["in sub_repo:nested"] });
});

test("a .dvcignore that is itself ignored is not read", () => {
  const d = repo("data/\n");
  write(d, "data/.dvcignore", "!x\n");
  const ig = new DvcIgnoreFilter(d);
  assert.equal(ig.isIgnored("data/x", false), true);
});

test("checkIgnore gives dvc check-ignore details", () => {
  const d = repo("*.csv\n!good.csv\n");
  write(d, "bad.csv");
  write(d, "good.csv");
  const ig = new DvcIgnoreFilter(d);
  assert.deepEqual(ig.checkIgnore(path.join(d, "bad.csv")), { file: path.join(d, "bad.csv"), match: true, patterns: [".dvcignore:4:*.csv"] });
  assert.deepEqual(ig.checkIgnore(path.join(d, "good.csv")), { file: path.join(d, "good.csv"), match: false, patterns: [".dvcignore:5:!good.csv"] });
});

test("wildcards: ?, [...], **, and escapes", () => {
  const d = repo("a?c\n[xy]z\n**/deep/**/f\n\\#hash\nfoo/**\n");
  const ig = new DvcIgnoreFilter(d);
  assert.equal(ig.isIgnored("abc", false), true);
  assert.equal(ig.isIgnored("abbc", false), false);
  assert.equal(ig.isIgnored("yz", false), true);
  assert.equal(ig.isIgnored("wz", false), false);
  assert.equal(ig.isIgnored("q/deep/r/s/f", false), true);
  assert.equal(ig.isIgnored("#hash", false), true);
  assert.equal(ig.isIgnored("foo/bar", false), true);
  // DVC also tries "foo/" for a directory, which `foo/**` matches (git would keep foo itself).
  assert.equal(ig.isIgnored("foo", true), true);
  assert.equal(ig.isIgnored("foo", false), false);
});

test("PatternSet.leafMatcher agrees with matchesLeaf for plain-name patterns, and declines others", () => {
  const names = [".git", ".hg", ".dvc", "model.pkl", "logs", "a", "b.txt", "keep", "x y", "Model.pkl"];
  const sets: string[][] = [
    [".hg/", ".git/", ".git", ".dvc/"],
    [".hg/", ".git/", ".git", ".dvc/", "model.pkl", "logs/", "!keep", "keep"],
    ["a", "!a", "b.txt", "logs", "!logs/"],
    ["keep", "!keep", "model.pkl/"],
  ];
  for (const patterns of sets) {
    const set = new PatternSet(patterns.map((p, i) => ({ pattern: p, info: `.dvcignore:${i + 1}:${p}` })));
    const byName = set.leafMatcher();
    assert.ok(byName, patterns.join(" "));
    for (const name of names) {
      for (const isDir of [false, true]) {
        for (const prefix of ["", "data/", "data/sub/"]) {
          assert.equal(byName(name, isDir), set.matchesLeaf(prefix + name, isDir), `${patterns.join(" ")} | ${prefix}${name} dir=${isDir}`);
        }
      }
    }
  }
  for (const other of ["*.log", "data/raw", "/top", "a?c", "[ab]", "\\#x", "**/z"]) {
    assert.equal(new PatternSet([{ pattern: other, info: "" }]).leafMatcher(), null, other);
  }
});
