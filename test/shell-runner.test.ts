// Stage commands through the helper shell (src/stage/shell-runner.ts): what a command sees and
// what is reported back must be what a direct spawn gives (`repro -j 2` still spawns directly,
// so the two are compared through the real CLI as well).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, mkdirSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { ShellRunner } from "../src/stage/shell-runner.js";
import { Sandbox } from "./helpers/sandbox.js";

function tmp(): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), "dvc-ts-runner-")));
}

const BASH = { shell: "/bin/bash", shellArgs: ["--noprofile", "--norc"] };

test("runner: exit codes, signals as -N, later commands still run, helper gone after close", async () => {
  const dir = tmp();
  const r = new ShellRunner();
  try {
    const run = (line: string) => r.run({ ...BASH, cwd: dir, extraEnv: { DVC_STAGE: "s" }, line });
    assert.equal(await run("true"), 0);
    assert.equal(await run("exit 3"), 3);
    // bash execs the last command: the stage shell itself dies of the signal, as DVC reports it
    assert.equal(await run("sh -c 'kill -TERM $$'"), -15);
    assert.equal(await run("kill -KILL $$"), -9);
    assert.equal(await run("echo again > again.txt"), 0);
    assert.equal(readFileSync(path.join(dir, "again.txt"), "utf8"), "again\n");
    // what one line cannot carry goes back to the caller (a direct spawn)
    assert.equal(await run("echo a\necho b"), null);
    assert.equal(await r.run({ ...BASH, cwd: path.join(dir, "missing"), extraEnv: {}, line: "true" }), null);
    assert.equal(await run("true"), 0);
    // the helper killed while a command runs: reported as that signal, never run a second time,
    // and later commands go straight to direct spawns
    assert.equal(await run("kill -KILL $PPID; sleep 0.3; echo x >> ran.txt"), -9);
    // the orphaned command finishes on its own; a second run would have appended another line
    const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
    for (let waited = 0; !existsSync(path.join(dir, "ran.txt")) && waited < 20_000; waited += 50) await sleep(50);
    await sleep(800);
    assert.equal(readFileSync(path.join(dir, "ran.txt"), "utf8"), "x\n");
    assert.equal(await run("true"), null);
  } finally {
    r.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The same command spawned directly by Node, as `repro -j N` does. */
function direct(cwd: string, extraEnv: Record<string, string>, line: string): Promise<number | null> {
  return new Promise((resolve) => {
    const c = spawn(BASH.shell, [...BASH.shellArgs, "-c", line], { cwd, env: { ...process.env, ...extraEnv }, stdio: "inherit" });
    c.on("exit", (code) => resolve(code));
  });
}

for (const helper of ["/bin/sh", "/bin/bash"]) {
  test(`runner (${helper} as the helper): the command sees what a direct spawn gives it (environment, directory, open fds, signal state)`, async () => {
    const dir = tmp();
    const sub = path.join(dir, "sub dir");
    mkdirSync(sub);
    const r = new ShellRunner(helper);
    const saved = { OLDPWD: process.env.OLDPWD, PWD: process.env.PWD };
    // a caller whose PWD is a symlink to the stage's directory: a shell keeps such a PWD
    const link = path.join(dir, "link");
    symlinkSync(sub, link);
    try {
      const extraEnv = { DVC_STAGE: "train@1", DVC_ROOT: "/some where/'quoted' $HOME" };
      const dump = (tag: string) =>
        `env -0 | sort -z > '${dir}/env.${tag}'; pwd -P > '${dir}/pwd.${tag}'; ls /proc/$$/fd > '${dir}/fds.${tag}'; ` +
        `grep -E '^Sig(Ign|Blk|Cgt)' /proc/$$/status > '${dir}/sig.${tag}'; cut -d' ' -f5 /proc/$$/stat > '${dir}/pgid.${tag}'`;
      const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
      // the helper's own `cd` must not leak into OLDPWD or PWD, whether the caller had one or not
      // (the runner restarts its helper when the environment changes)
      for (const [oldpwd, pwd] of [[undefined, saved.PWD], [dir, link]]) {
        if (oldpwd === undefined) delete process.env.OLDPWD;
        else process.env.OLDPWD = oldpwd;
        if (pwd === undefined) delete process.env.PWD;
        else process.env.PWD = pwd;
        assert.equal(await r.run({ ...BASH, cwd: sub, extraEnv, line: dump("runner") }), 0);
        assert.equal(await direct(sub, extraEnv, dump("direct")), 0);
        for (const what of ["env", "pwd", "fds", "sig", "pgid"]) assert.equal(read(`${what}.runner`), read(`${what}.direct`), `${what} (OLDPWD ${oldpwd})`);
        assert.equal(read("pwd.runner"), sub + "\n");
        assert.match(read("env.runner"), /\0DVC_ROOT=\/some where\/'quoted' \$HOME\0/);
        assert.match(read("env.runner"), /\0DVC_STAGE=train@1\0/);
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      r.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("repro: stage commands see the same environment and directory with -j 1 (helper) and -j 2 (direct spawns)", () => {
  const seq = new Sandbox();
  const par = new Sandbox();
  try {
    for (const s of [seq, par]) {
      // each sandbox's temporary base becomes BASE, so the two dumps can be compared
      const base = path.dirname(s.dir);
      s.env.SHELL = "/bin/bash";
      s.ok("init", "-q");
      s.write("in.txt", "x\n");
      s.write("sub/.keep", "");
      s.write(
        "dvc.yaml",
        "stages:\n" +
          "  a:\n    cmd: env -0 | sort -z | sed -z 's|" + base + "|BASE|g' > ../a.env; pwd -P | sed 's|" + base + "|BASE|' >> ../a.env; cp ../in.txt a.txt\n" +
          "    wdir: sub\n    deps:\n    - ../in.txt\n    outs:\n    - a.txt\n" +
          "  b:\n    cmd:\n    - env -0 | sort -z | sed -z 's|" + base + "|BASE|g' > b.env\n    - exit 7\n    deps:\n    - in.txt\n    outs:\n    - b.txt\n",
      );
    }
    const r1 = seq.dvc("repro", "-k");
    const r2 = par.dvc("repro", "-k", "-j", "2");
    assert.equal(r1.status, 255, r1.stderr);
    assert.equal(r2.status, 255, r2.stderr);
    assert.match(r1.stderr, /failed to run: exit 7, exited with 7/);
    assert.match(r2.stderr, /failed to run: exit 7, exited with 7/);
    assert.equal(seq.read("a.env"), par.read("a.env"));
    assert.equal(seq.read("b.env"), par.read("b.env"));
    assert.match(seq.read("a.env"), /(^|\0)DVC_STAGE=a\0/);
    assert.match(seq.read("a.env"), /(^|\0)DVC_ROOT=BASE\/repo\0/);
    assert.match(seq.read("a.env"), /\0BASE\/repo\/sub\n$/);
  } finally {
    seq.cleanup();
    par.cleanup();
  }
});
