// Integration tests: the data commands on real temp git repos through bin/dvc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Sandbox } from "./helpers/sandbox.js";

const md5 = (s: string | Buffer) => createHash("md5").update(s).digest("hex");

function withRepo(fn: (s: Sandbox) => void): () => void {
  return () => {
    const s = new Sandbox();
    try {
      s.ok("init", "-q");
      fn(s);
    } finally {
      s.cleanup();
    }
  };
}

test("add writes the .dvc file, the cache object (0444) and the .gitignore entry", withRepo((s) => {
  s.write("data.csv", "hello\n");
  const r = s.ok("add", "data.csv");
  assert.match(r.stdout, /git add (\.gitignore data\.csv\.dvc|data\.csv\.dvc \.gitignore)/);
  assert.equal(s.read("data.csv.dvc"), "outs:\n- md5: b1946ac92492d2347c6235b4d2611184\n  size: 6\n  hash: md5\n  path: data.csv\n");
  assert.equal(s.read(".gitignore"), "/data.csv\n");
  const obj = ".dvc/cache/files/md5/b1/946ac92492d2347c6235b4d2611184";
  assert.equal(s.read(obj), "hello\n");
  assert.equal(s.mode(obj), 0o444);
  assert.equal(s.mode("data.csv"), 0o644);
}));

test("status reports modified and deleted outputs, then checkout restores them", withRepo((s) => {
  s.write("a.txt", "a\n");
  s.write("d/x.txt", "x\n");
  s.ok("add", "a.txt", "d");
  assert.equal(s.ok("status").stdout, "Data and pipelines are up to date.\n");
  s.write("a.txt", "changed\n");
  s.run("rm", ["-rf", s.p("d")]);
  const st = s.ok("status", "--json");
  assert.deepEqual(JSON.parse(st.stdout), {
    "a.txt.dvc": [{ "changed outs": { "a.txt": "modified" } }],
    "d.dvc": [{ "changed outs": { d: "deleted" } }],
  });
  // the modified a.txt is not in the cache: refused without --force
  const refused = s.dvc("checkout");
  assert.equal(refused.status, 255);
  assert.match(refused.stderr, /Can't remove the following unsaved files without confirmation/);
  const co = s.ok("checkout", "--force");
  assert.match(co.stdout, /^M {7}a\.txt$/m);
  assert.match(co.stdout, /^A {7}d\/$/m);
  assert.equal(s.read("a.txt"), "a\n");
  assert.equal(s.read("d/x.txt"), "x\n");
  assert.equal(s.ok("status").stdout, "Data and pipelines are up to date.\n");
}));

test("status -q exits 1 when something changed and 0 when clean", withRepo((s) => {
  s.write("f", "1");
  s.ok("add", "f");
  assert.equal(s.dvc("status", "-q").status, 0);
  s.write("f", "2");
  const r = s.dvc("status", "-q");
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "");
}));

test("a corrupted cache object is detected and not checked out", withRepo((s) => {
  s.write("f.txt", "good\n");
  s.ok("add", "f.txt");
  const obj = s.p(`.dvc/cache/files/md5/${md5("good\n").slice(0, 2)}/${md5("good\n").slice(2)}`);
  chmodSync(obj, 0o644);
  writeFileSync(obj, "evil\n");
  s.run("rm", [s.p("f.txt")]);
  const st = s.ok("status");
  assert.match(st.stdout, /not in cache:\s+f\.txt/);
  const co = s.dvc("checkout");
  assert.equal(co.status, 255);
  assert.match(co.stderr, /Checkout failed for following targets:\nf\.txt/);
  assert.equal(s.exists("f.txt"), false);
}));

test("a .dvc file whose path points outside the repo is refused", withRepo((s) => {
  s.write("evil.dvc", "outs:\n- md5: b1946ac92492d2347c6235b4d2611184\n  size: 6\n  hash: md5\n  path: ../outside.txt\n");
  const r = s.dvc("checkout");
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /outside of DVC project/);
  assert.equal(s.exists("../outside.txt"), false);
  s.write("abs.dvc", "outs:\n- md5: b1946ac92492d2347c6235b4d2611184\n  hash: md5\n  path: /tmp/x\n");
  s.run("rm", [s.p("evil.dvc")]);
  assert.notEqual(s.dvc("status").status, 0);
}));

test("a .dir object with an escaping relpath is not checked out", withRepo((s) => {
  s.write("d/a.txt", "a\n");
  s.ok("add", "d");
  const dvcfile = s.read("d.dvc");
  const dirOid = /md5: ([0-9a-f]{32})\.dir/.exec(dvcfile)![1];
  // forge a .dir object pointing outside the output directory
  const evil = `[{"md5": "${md5("a\n")}", "relpath": "../../escaped.txt"}]`;
  const evilOid = md5(evil);
  const dir = s.p(`.dvc/cache/files/md5/${evilOid.slice(0, 2)}`);
  s.run("mkdir", ["-p", dir]);
  writeFileSync(path.join(dir, evilOid.slice(2) + ".dir"), evil);
  s.write("d.dvc", dvcfile.replace(dirOid, evilOid));
  s.run("rm", ["-rf", s.p("d")]);
  const r = s.dvc("checkout");
  assert.notEqual(r.status, 0);
  assert.equal(s.exists("../escaped.txt"), false);
  assert.equal(s.exists("../../escaped.txt"), false);
}));

test("commit refuses a changed output without --force and records it with --force", withRepo((s) => {
  s.write("data.csv", "first\n");
  s.ok("add", "data.csv");
  s.write("data.csv", "second\n");
  const r = s.dvc("commit", "data.csv.dvc");
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unable to commit changed stage: 'data\.csv\.dvc'/);
  s.ok("commit", "-f", "data.csv.dvc");
  assert.match(s.read("data.csv.dvc"), new RegExp(md5("second\n")));
}));

test("remove and move keep data and update .gitignore", withRepo((s) => {
  s.write("a.txt", "a\n");
  s.ok("add", "a.txt");
  s.ok("move", "a.txt", "b.txt");
  assert.equal(s.exists("a.txt.dvc"), false);
  assert.match(s.read("b.txt.dvc"), /path: b\.txt/);
  assert.equal(s.read(".gitignore"), "/b.txt\n");
  s.ok("remove", "b.txt.dvc");
  assert.equal(s.exists("b.txt"), true);
  assert.equal(s.exists(".gitignore"), false);
}));

test("gc -w -f removes objects no longer used", withRepo((s) => {
  s.write("f", "old\n");
  s.ok("add", "f");
  s.write("f", "new\n");
  s.ok("add", "f");
  const r = s.ok("gc", "-w", "-f");
  assert.match(r.stdout, /Removed 1 objects from repo cache\./);
  const objs = readdirSync(s.p(".dvc/cache/files/md5"), { recursive: true }).filter((p) => String(p).length > 3);
  assert.equal(objs.length, 1);
}));

test("the repo lock stops a second writer with DVC's message", withRepo((s) => {
  // a live process holds the lock: our own test process's pid
  s.write(".dvc/tmp/lock", ` ${process.pid}\n`);
  s.write("f", "x");
  const r = s.dvc("add", "f");
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Unable to acquire lock/);
  // a stale lock (dead pid) is taken over
  s.write(".dvc/tmp/lock", " 999999\n");
  s.ok("add", "f");
}));

test("a lock left by a killed process that is still a zombie (not reaped yet) is taken over", async () => {
  const s = new Sandbox();
  // `sleep 0.05` exits and stays a zombie: its parent (the shell, turned into `sleep 5`) never
  // reaps it.
  const parent = spawn("/bin/sh", ["-c", "sleep 0.05 & echo $!; exec sleep 5"], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    s.ok("init", "-q");
    const pid = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (b: Buffer) => resolve(b.toString().trim()))));
    const stateOf = (): string => {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    };
    for (let i = 0; i < 500 && stateOf() !== "Z"; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(stateOf(), "Z", "the child is a zombie");
    s.write(".dvc/tmp/lock", ` ${pid}\n`);
    s.write("f", "x");
    s.ok("add", "f");
  } finally {
    parent.kill();
    s.cleanup();
  }
});

test("commands outside a DVC repository exit 253", () => {
  const s = new Sandbox();
  try {
    const r = s.dvc("status");
    assert.equal(r.status, 253);
    assert.match(r.stderr, /^ERROR: you are not inside of a DVC repository \(checked up to mount point '.+'\)\n$/);
  } finally {
    s.cleanup();
  }
});
