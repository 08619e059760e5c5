// Integration tests of `dvc repro` beyond the compat transcripts: -j N on a diamond, -f with
// --force-downstream, -k with two independent branches, run-cache restore.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { DVC, Sandbox } from "./helpers/sandbox.js";

const DIAMOND =
  "stages:\n" +
  "  a:\n    cmd: cp in.txt a.txt\n    deps:\n    - in.txt\n    outs:\n    - a.txt\n" +
  "  b:\n    cmd: sleep 1; echo from-b; cp a.txt b.txt\n    deps:\n    - a.txt\n    outs:\n    - b.txt\n" +
  "  c:\n    cmd: echo from-c; cp a.txt c.txt\n    deps:\n    - a.txt\n    outs:\n    - c.txt\n" +
  "  d:\n    cmd: cat b.txt c.txt > d.txt\n    deps:\n    - b.txt\n    - c.txt\n    outs:\n    - d.txt\n";

/** An initialised repo with `in.txt` and the given dvc.yaml. */
function repo(dvcYaml = DIAMOND): Sandbox {
  const s = new Sandbox();
  s.ok("init", "-q");
  s.write("in.txt", "x\n");
  s.write("dvc.yaml", dvcYaml);
  return s;
}

test("repro -j 2 on a diamond writes the same dvc.lock as -j 1, each stage's output printed whole", () => {
  const one = repo();
  const two = repo();
  try {
    one.ok("repro");
    const r = two.ok("repro", "-j", "2");
    assert.equal(two.read("dvc.lock"), one.read("dvc.lock"));
    assert.equal(two.read("d.txt"), "x\nx\n");
    // c finishes first but its block is not interleaved with b's
    assert.match(r.stdout, /Running stage 'b':\n> sleep 1; echo from-b; cp a\.txt b\.txt\nfrom-b\nUpdating lock file 'dvc\.lock'\n/);
    assert.match(r.stdout, /Running stage 'c':\n> echo from-c; cp a\.txt c\.txt\nfrom-c\nUpdating lock file 'dvc\.lock'\n/);
    assert.match(two.ok("repro", "-j", "2").stdout, /Data and pipelines are up to date\./);
  } finally {
    one.cleanup();
    two.cleanup();
  }
});

test("repro -f --force-downstream reruns the target and everything after it", () => {
  const s = repo();
  try {
    s.ok("repro");
    const r = s.ok("repro", "-f", "--force-downstream", "d");
    for (const st of ["a", "b", "c", "d"]) assert.match(r.stdout, new RegExp(`Running stage '${st}':`));
    const single = s.ok("repro", "-s", "c");
    assert.match(single.stdout, /Stage 'c' didn't change, skipping/);
    assert.doesNotMatch(single.stdout, /Stage 'a'/);
  } finally {
    s.cleanup();
  }
});

test("repro -k: a failed branch skips its dependents, the other branch still runs", () => {
  const s = repo(
    "stages:\n  bad:\n    cmd: exit 3\n    deps:\n    - in.txt\n    outs:\n    - bad.txt\n" +
      "  after:\n    cmd: cp bad.txt after.txt\n    deps:\n    - bad.txt\n    outs:\n    - after.txt\n" +
      "  good:\n    cmd: cp in.txt good.txt\n    deps:\n    - in.txt\n    outs:\n    - good.txt\n",
  );
  try {
    const r = s.dvc("repro", "-k");
    assert.equal(r.status, 255);
    assert.match(r.stderr, /WARNING: failed to run: exit 3, exited with 3/);
    assert.match(r.stderr, /WARNING: Stage 'after' will be skipped due to this failure/);
    assert.match(r.stderr, /ERROR: failed to reproduce 'bad'/);
    assert.equal(s.read("good.txt"), "x\n");
    assert.equal(s.exists("after.txt"), false);
    assert.doesNotMatch(s.read("dvc.lock"), /bad:/);
  } finally {
    s.cleanup();
  }
});

test("deleted outputs are restored from the cache without running the command", () => {
  const s = repo();
  try {
    s.ok("repro");
    s.run("rm", ["-f", s.p("b.txt"), s.p("d.txt")]);
    const r = s.ok("repro");
    assert.match(r.stdout, /Stage 'b' is cached - skipping run, checking out outputs/);
    assert.doesNotMatch(r.stdout, /from-b/);
    assert.equal(s.read("b.txt"), "x\n");
    assert.equal(s.read("d.txt"), "x\nx\n");
  } finally {
    s.cleanup();
  }
});

/** Start `dvc args` in its own process group (as a terminal would) and send the group SIGINT
 * shortly after `ready(stdout)` holds (checked on output and every 50 ms). */
function interruptWhen(s: Sandbox, args: string[], ready: (out: string) => boolean): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(DVC, args, { cwd: s.dir, env: s.env, detached: true });
    let stdout = "";
    let stderr = "";
    let sent = false;
    // Let the command (or the stage command) get going before the terminal's Ctrl-C arrives.
    const fire = (): void => {
      sent = true;
      setTimeout(() => process.kill(-child.pid!, "SIGINT"), 400);
    };
    const poll = setInterval(() => {
      if (!sent && ready(stdout)) fire();
    }, 50);
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`never ready\n${stdout}\n${stderr}`));
    }, 60_000);
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
      if (!sent && ready(stdout)) fire();
    });
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("exit", (status) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ status, stdout, stderr });
    });
  });
}

test("Ctrl-C during a stage: the command is stopped, the stage fails like DVC's (exited with -2), lock and repo stay usable", async () => {
  const s = repo(
    "stages:\n  a:\n    cmd: cp in.txt a.txt\n    deps:\n    - in.txt\n    outs:\n    - a.txt\n" +
      "  slow:\n    cmd: touch started; sleep 30; cp a.txt slow.txt\n    deps:\n    - a.txt\n    outs:\n    - slow.txt\n",
  );
  try {
    // Ready once the stage command is running (it leaves a marker first).
    const r = await interruptWhen(s, ["repro"], () => s.exists("started"));
    assert.equal(r.status, 255, r.stderr);
    assert.match(r.stderr, /ERROR: failed to reproduce 'slow': failed to run: touch started; sleep 30; cp a\.txt slow\.txt, exited with -2\n/);
    // The finished stage is locked, the interrupted one is not; no repo lock is left behind.
    const lock = s.read("dvc.lock");
    assert.match(lock, /^  a:$/m);
    assert.doesNotMatch(lock, /^  slow:$/m);
    assert.equal(s.exists(".dvc/tmp/lock"), false);
    const st = s.ok("status");
    assert.match(st.stdout, /slow:/);
    assert.doesNotMatch(st.stdout, /^a:/m);
  } finally {
    s.cleanup();
  }
});

test("Ctrl-C in repro between commands: exit 252, earlier stages' lock entries on disk, nothing further runs, no temp files", async () => {
  const s = repo(
    "stages:\n  a:\n    cmd: cp in.txt a.txt\n    deps:\n    - in.txt\n    outs:\n    - a.txt\n" +
      // a sparse 1 GiB output: hashing it after the command takes a second or more
      "  big:\n    cmd: truncate -s 1G big.bin\n    deps:\n    - a.txt\n    outs:\n    - big.bin\n" +
      "  after:\n    cmd: cp a.txt after.txt\n    deps:\n    - big.bin\n    outs:\n    - after.txt\n",
  );
  try {
    const r = await interruptWhen(s, ["repro"], () => s.exists("big.bin"));
    assert.equal(r.status, 252, r.stdout + r.stderr);
    assert.match(r.stderr, /ERROR: interrupted by the user\n/);
    const lock = s.read("dvc.lock");
    assert.match(lock, /^  a:$/m);
    assert.doesNotMatch(lock, /^  big:$/m);
    assert.equal(s.exists("after.txt"), false);
    assert.match(s.read(".gitignore"), /^\/a\.txt\n/);
    assert.deepEqual(readdirSync(s.dir).filter((n) => n.endsWith(".tmp")), []);
    assert.equal(s.exists(".dvc/tmp/lock"), false);
    assert.match(s.ok("status").stdout, /big:/);
  } finally {
    s.cleanup();
  }
});

test("Ctrl-C outside a stage command: 'interrupted by the user', exit 252, repo lock released", async () => {
  const s = new Sandbox();
  try {
    s.ok("init", "-q");
    // A sparse 4 GiB file: hashing it takes seconds, long enough to be interrupted.
    s.run("truncate", ["-s", "4G", "big.bin"]);
    // Ready once the object is being written into the cache (the command is under way).
    const cacheFiles = (): string[] => (s.exists(".dvc/cache") ? readdirSync(s.p(".dvc/cache"), { recursive: true }).map(String) : []);
    const r = await interruptWhen(s, ["add", "big.bin"], () => cacheFiles().some((f) => f.endsWith(".tmp")));
    assert.equal(r.status, 252, r.stdout + r.stderr);
    assert.match(r.stderr, /ERROR: interrupted by the user\n/);
    assert.equal(s.exists(".dvc/tmp/lock"), false);
    assert.equal(s.exists("big.bin.dvc"), false);
    // The partial copy into the cache is removed on the way out.
    assert.deepEqual(cacheFiles().filter((f) => f.endsWith(".tmp")), []);
    // Nothing half-done is taken for data: no object in the cache under a real name.
    assert.deepEqual(s.ok("status").stdout, "There are no data or pipelines tracked in this project yet.\nSee <https://dvc.org/doc/start> to get started!\n");
  } finally {
    s.cleanup();
  }
});
