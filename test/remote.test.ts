// Integration tests: push/fetch/pull with local remotes and `repro --pull`, through bin/dvc on
// real temp repos (the remote is a real directory beside the repo).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Sandbox } from "./helpers/sandbox.js";

const md5 = (s: string | Buffer) => createHash("md5").update(s).digest("hex");

function withRemoteRepo(fn: (s: Sandbox, remote: string) => void): () => void {
  return () => {
    const s = new Sandbox();
    try {
      s.ok("init", "-q");
      s.ok("remote", "add", "-d", "store", "../remote");
      fn(s, path.join(s.dir, "..", "remote"));
    } finally {
      s.cleanup();
    }
  };
}

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  const rec = (d: string, rel: string) => {
    if (!existsSync(d)) return;
    for (const n of readdirSync(d, { withFileTypes: true })) {
      if (n.isDirectory()) rec(path.join(d, n.name), rel + n.name + "/");
      else out.push(rel + n.name);
    }
  };
  rec(dir, "");
  return out.sort();
}

const objPath = (oid: string) => `files/md5/${oid.slice(0, 2)}/${oid.slice(2)}`;

test("push uploads files and directories (0444), pull restores them into an empty cache and workspace", withRemoteRepo((s, remote) => {
  s.write("data.csv", "a,b\n");
  s.write("images/x.txt", "x\n");
  s.write("images/y/z.txt", "z\n");
  s.ok("add", "data.csv", "images");
  assert.equal(s.ok("push").stdout, "4 files pushed\n");
  const expected = [md5("a,b\n"), md5("x\n"), md5("z\n")].map(objPath);
  const remoteFiles = files(remote);
  for (const f of expected) assert.ok(remoteFiles.includes(f), `${f} on the remote`);
  const dir = remoteFiles.find((f) => f.endsWith(".dir"));
  assert.ok(dir);
  assert.equal(remoteFiles.length, 4);
  for (const f of remoteFiles) assert.equal(statSync(path.join(remote, f)).mode & 0o777, 0o444, f);
  assert.equal(s.ok("push").stdout, "Everything is up to date.\n");

  s.run("rm", ["-rf", s.p(".dvc/cache"), s.p("data.csv"), s.p("images")]);
  // fetch fills the cache only
  assert.equal(s.ok("fetch").stdout, "4 files fetched\n");
  assert.equal(s.exists("data.csv"), false);
  assert.equal(s.ok("fetch").stdout, "Everything is up to date.\n");
  s.run("rm", ["-rf", s.p(".dvc/cache")]);
  const pulled = s.ok("pull");
  assert.match(pulled.stdout, /^A {7}images\/$/m);
  assert.match(pulled.stdout, /^A {7}data\.csv$/m);
  assert.match(pulled.stdout, /^4 files fetched and 3 files added$/m);
  assert.equal(s.read("images/y/z.txt"), "z\n");
  assert.equal(s.read("data.csv"), "a,b\n");
  assert.equal(s.ok("status").stdout, "Data and pipelines are up to date.\n");
  assert.equal(s.ok("pull").stdout, "Everything is up to date.\n");
}));

test("push of a directory with a file missing from the cache: the others go, the .dir does not", withRemoteRepo((s, remote) => {
  s.write("d/a.txt", "a\n");
  s.write("d/b.txt", "b\n");
  s.ok("add", "d");
  s.run("rm", ["-f", s.p(`.dvc/cache/${objPath(md5("b\n"))}`)]);
  const r = s.ok("push");
  assert.match(r.stderr, /Some of the cache files do not exist neither locally nor on remote\. Missing cache files:\nmd5: [0-9a-f]{32}\n/);
  assert.ok(r.stderr.includes(`md5: ${md5("b\n")}`));
  assert.equal(r.stdout, "1 file pushed\n");
  assert.deepEqual(files(remote), [objPath(md5("a\n"))]);
}));

test("pull never stores remote content under a name it does not hash to", withRemoteRepo((s, remote) => {
  s.write("good.txt", "good\n");
  s.write("bad.txt", "bad\n");
  s.ok("add", "good.txt", "bad.txt");
  s.ok("push");
  // one object rewritten with other content, still 0444 (so the trust rule alone would take it)
  const bad = path.join(remote, objPath(md5("bad\n")));
  chmodSync(bad, 0o644);
  writeFileSync(bad, "evil\n");
  chmodSync(bad, 0o444);
  s.run("rm", ["-rf", s.p(".dvc/cache"), s.p("good.txt"), s.p("bad.txt")]);
  const r = s.dvc("pull");
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERROR: failed to pull data from the cloud - Checkout failed for following targets:\nbad\.txt\n/);
  assert.ok(r.stderr.includes(`md5: ${md5("bad\n")}`));
  assert.equal(s.read("good.txt"), "good\n");
  assert.equal(s.exists("bad.txt"), false);
  assert.equal(s.exists(`.dvc/cache/${objPath(md5("bad\n"))}`), false);
  assert.equal(s.exists(`.dvc/cache/${objPath(md5("evil\n"))}`), false);
}));

test("a remote .dir listing a path outside the output is refused: nothing is written outside", withRemoteRepo((s, remote) => {
  const payload = "owned\n";
  const tree = `[{"md5": "${md5(payload)}", "relpath": "../../escaped.txt"}]`;
  const dirOid = `${md5(tree)}.dir`;
  for (const [oid, content] of [[dirOid, tree], [md5(payload), payload]] as const) {
    const p = path.join(remote, objPath(oid));
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content, { mode: 0o444 });
  }
  s.write("d.dvc", `outs:\n- md5: ${dirOid}\n  size: 6\n  nfiles: 1\n  hash: md5\n  path: d\n`);
  const r = s.dvc("pull");
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(`md5: ${dirOid}`), r.stderr);
  assert.equal(existsSync(path.join(s.dir, "..", "escaped.txt")), false);
  assert.equal(existsSync(path.join(s.dir, "escaped.txt")), false);
  assert.equal(s.exists(`.dvc/cache/${objPath(dirOid)}`), false);
}));

test("push without a remote, and to a cloud URL, fail with exit 1", () => {
  const s = new Sandbox();
  try {
    s.ok("init", "-q");
    s.write("a.txt", "a\n");
    s.ok("add", "a.txt");
    const none = s.dvc("push");
    assert.equal(none.status, 1);
    assert.equal(
      none.stderr,
      `ERROR: failed to push data to the cloud - config file error: no remote specified in ${s.dir}. Create a default remote with\n    dvc remote add -d <remote name> <remote url>\n`,
    );
    s.ok("remote", "add", "-d", "s3r", "s3://bucket/path");
    const s3 = s.dvc("push");
    assert.equal(s3.status, 1);
    assert.match(s3.stderr, /^ERROR: failed to push data to the cloud - remote 's3r': 's3' remotes are not supported/);
  } finally {
    s.cleanup();
  }
});

const PIPELINE = `stages:
  up:
    cmd: echo ran >> runs.log && tr a-z A-Z < in.txt > out.txt
    deps:
    - in.txt
    outs:
    - out.txt
`;

for (const jobs of ["1", "2"]) {
  test(`repro --pull (-j ${jobs}) pulls a stage's missing outputs instead of running it; without them it runs`, withRemoteRepo((s) => {
    s.write("in.txt", "x\n");
    s.write("dvc.yaml", PIPELINE);
    s.ok("repro", "-q");
    s.ok("push");
    s.run("rm", ["-rf", s.p(".dvc/cache"), s.p("out.txt")]);
    const r = s.ok("repro", "--pull", "-j", jobs);
    assert.equal(r.stdout, "Pulling data for stage: 'up'\nData and pipelines are up to date.\n");
    assert.equal(s.read("out.txt"), "X\n");
    assert.equal(s.read("runs.log"), "ran\n");
    // the remote loses the object: the pull cannot check out, so the stage runs
    s.run("rm", ["-rf", s.p(".dvc/cache"), s.p("out.txt"), s.p("../remote")]);
    const r2 = s.ok("repro", "--pull", "-j", jobs);
    assert.match(r2.stdout, /^Pulling data for stage: 'up'\nUnable to pull data for stage: 'up'\nRunning stage 'up':/);
    assert.equal(s.read("runs.log"), "ran\nran\n");
    assert.equal(s.read("out.txt"), "X\n");
  }));
}

test("push --run-cache / pull --run-cache carry run-cache entries; repro then restores", withRemoteRepo((s, remote) => {
  s.write("in.txt", "x\n");
  s.write("dvc.yaml", PIPELINE);
  s.ok("repro", "-q");
  assert.equal(s.ok("push", "--run-cache").stdout, "2 files pushed\n");
  assert.equal(files(path.join(remote, "runs")).length, 1);
  s.run("rm", ["-rf", s.p(".dvc/cache"), s.p("out.txt")]);
  assert.equal(s.ok("pull", "--run-cache").stdout, "A       out.txt\n1 file fetched and 1 file added\n");
  assert.equal(files(s.p(".dvc/cache/runs")).length, 1);
  s.run("rm", ["-f", s.p("dvc.lock"), s.p("out.txt")]);
  const r = s.ok("repro");
  assert.match(r.stdout, /^Stage 'up' is cached - skipping run, checking out outputs$/m);
  assert.equal(s.read("runs.log"), "ran\n");
}));

test("push targets: an output, --with-deps (upstream stages too), --glob", withRemoteRepo((s, remote) => {
  s.write("in.txt", "x\n");
  s.write("dvc.yaml", `stages:
  first:
    cmd: cp in.txt mid.txt
    deps:
    - in.txt
    outs:
    - mid.txt
  second:
    cmd: tr a-z A-Z < mid.txt > final.txt
    deps:
    - mid.txt
    outs:
    - final.txt
`);
  s.write("one.csv", "1\n");
  s.write("two.csv", "2\n");
  s.ok("add", "one.csv", "two.csv");
  s.ok("repro", "-q");
  assert.equal(s.ok("push", "final.txt").stdout, "1 file pushed\n");
  assert.deepEqual(files(remote), [objPath(md5("X\n"))]);
  assert.equal(s.ok("push", "--with-deps", "second").stdout, "1 file pushed\n");
  assert.ok(files(remote).includes(objPath(md5("x\n"))));
  assert.equal(s.ok("push", "--glob", "*.csv").stdout, "2 files pushed\n");
  assert.equal(files(remote).length, 4);
  const none = s.dvc("push", "--glob", "*.parquet");
  assert.equal(none.status, 1);
  assert.match(none.stderr, /Glob \['\*\.parquet'\] has no matches\./);
  // pull -d of the last stage brings back the whole chain
  s.run("rm", ["-rf", s.p(".dvc/cache"), s.p("mid.txt"), s.p("final.txt")]);
  const r = s.ok("pull", "-d", "second");
  assert.match(r.stdout, /2 files fetched and 2 files added/);
  assert.equal(s.read("mid.txt"), "x\n");
  assert.equal(s.read("final.txt"), "X\n");
}));

test("repro --pull: a missing dependency is pulled before the stage runs (-s, its .dvc stage not planned)", withRemoteRepo((s) => {
  s.write("data.txt", "data\n");
  s.ok("add", "data.txt");
  s.write("in.txt", "x\n");
  s.write("dvc.yaml", `stages:
  up:
    cmd: cat in.txt data.txt > out.txt
    deps:
    - in.txt
    - data.txt
    outs:
    - out.txt
`);
  s.ok("repro", "-q");
  s.ok("push");
  s.run("rm", ["-rf", s.p(".dvc/cache"), s.p("data.txt")]);
  s.write("in.txt", "y\n");
  const without = s.dvc("repro", "-s", "up");
  assert.equal(without.status, 255);
  const r = s.ok("repro", "-s", "up", "--pull");
  assert.match(r.stdout, /Running stage 'up':/);
  assert.equal(s.read("data.txt"), "data\n");
  assert.equal(s.read("out.txt"), "y\ndata\n");
}));

test("repro --pull restores from a pulled run-cache entry, fetching its objects from the remote", withRemoteRepo((s) => {
  s.write("in.txt", "x\n");
  s.write("dvc.yaml", PIPELINE);
  s.ok("repro", "-q");
  s.ok("push", "--run-cache");
  s.run("rm", ["-rf", s.p(".dvc/cache"), s.p("dvc.lock"), s.p("out.txt")]);
  const r = s.ok("repro", "--pull");
  assert.match(r.stdout, /^Stage 'up' is cached - skipping run, checking out outputs$/m);
  assert.equal(s.read("out.txt"), "X\n");
  assert.equal(s.read("runs.log"), "ran\n");
  // --no-run-cache: neither the run cache nor its objects are pulled, so the stage runs
  s.run("rm", ["-rf", s.p(".dvc/cache"), s.p("dvc.lock"), s.p("out.txt")]);
  s.ok("repro", "--pull", "--no-run-cache");
  assert.equal(s.read("runs.log"), "ran\nran\n");
}));
