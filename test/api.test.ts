// The typed library API on a real repo: reproduce, status, add, checkout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { Repo } from "../src/index.js";
import { Sandbox } from "./helpers/sandbox.js";

test("Repo.reproduce reports what ran and skipped; status and checkout work without a CLI", async () => {
  const s = new Sandbox();
  const cwd = process.cwd();
  try {
    s.ok("init", "-q");
    s.write("in.txt", "x\n");
    s.write(
      "dvc.yaml",
      "stages:\n  a:\n    cmd: cp in.txt a.txt\n    deps:\n    - in.txt\n    outs:\n    - a.txt\n" +
        "  b:\n    cmd: cp a.txt b.txt\n    deps:\n    - a.txt\n    outs:\n    - b.txt\n",
    );
    process.chdir(s.dir);
    const repo = await Repo.open(s.dir);
    const messages: string[] = [];
    const first = await repo.reproduce([], { onMessage: (_l, t) => messages.push(t) });
    assert.deepEqual(first.reproduced, ["a", "b"]);
    assert.deepEqual(first.ran, ["a", "b"]);
    assert.deepEqual(first.restored, []);
    assert.ok(messages.includes("Running stage 'a':"));
    assert.ok(first.gitFiles.some((f) => f.endsWith("dvc.lock")));
    assert.equal(readFileSync(path.join(s.dir, "b.txt"), "utf8"), "x\n");
    const second = await repo.reproduce();
    assert.deepEqual(second.reproduced, []);
    assert.deepEqual(second.skipped, ["a", "b"]);
    assert.equal((await repo.status()).size, 0);
    writeFileSync(path.join(s.dir, "in.txt"), "y\n");
    const st = await repo.status();
    assert.deepEqual([...st.keys()], ["a"]);
    const third = await repo.reproduce(["b"]);
    assert.deepEqual(third.reproduced, ["a", "b"]);
    rmSync(path.join(s.dir, "b.txt"));
    const co = await repo.checkout();
    assert.deepEqual(co.added, ["b.txt"]);
  } finally {
    process.chdir(cwd);
    s.cleanup();
  }
});

for (const jobs of [1, 2]) {
  test(`Repo.reproduce (jobs ${jobs}) tells stages run, restored from the run cache, and skipped, .dvc data sources included`, async () => {
    const s = new Sandbox();
    const cwd = process.cwd();
    try {
      s.ok("init", "-q");
      s.write("in.txt", "x\n");
      s.write("data.txt", "d\n");
      s.write(
        "dvc.yaml",
        "stages:\n  a:\n    cmd: cp in.txt a.txt\n    deps:\n    - in.txt\n    outs:\n    - a.txt\n" +
          "  b:\n    cmd: cp a.txt b.txt\n    deps:\n    - a.txt\n    outs:\n    - b.txt\n" +
          "  c:\n    cmd: cp data.txt c.txt\n    deps:\n    - data.txt\n    outs:\n    - c.txt\n",
      );
      process.chdir(s.dir);
      assert.deepEqual(await (await Repo.open(s.dir)).add(["data.txt"]), [path.join(s.dir, "data.txt.dvc")]);
      const first = await (await Repo.open(s.dir)).reproduce([], { jobs });
      assert.deepEqual([...first.ran].sort(), ["a", "b", "c"]);
      assert.deepEqual(first.skipped, ["data.txt.dvc"]);
      writeFileSync(path.join(s.dir, "in.txt"), "y\n");
      const second = await (await Repo.open(s.dir)).reproduce([], { jobs });
      assert.deepEqual(second.ran, ["a", "b"]);
      assert.deepEqual([...second.skipped].sort(), ["c", "data.txt.dvc"]);
      // Back to the first input: both stages come from the run cache, none runs.
      writeFileSync(path.join(s.dir, "in.txt"), "x\n");
      const third = await (await Repo.open(s.dir)).reproduce([], { jobs });
      assert.deepEqual(third.ran, []);
      assert.deepEqual(third.restored, ["a", "b"]);
      assert.deepEqual(third.reproduced, ["a", "b"]);
      assert.equal(readFileSync(path.join(s.dir, "b.txt"), "utf8"), "x\n");
    } finally {
      process.chdir(cwd);
      s.cleanup();
    }
  });
}

test("Repo.push / fetch / pull with a local remote", async () => {
  const s = new Sandbox();
  const cwd = process.cwd();
  try {
    s.ok("init", "-q");
    s.ok("remote", "add", "-d", "store", "../remote");
    s.write("d/a.txt", "a\n");
    s.write("b.txt", "b\n");
    s.ok("add", "d", "b.txt");
    process.chdir(s.dir);
    const repo = await Repo.open(s.dir);
    assert.deepEqual(await repo.push(), { count: 3, missing: [] });
    assert.deepEqual(await repo.push(), { count: 0, missing: [] });
    rmSync(path.join(s.dir, ".dvc", "cache"), { recursive: true });
    rmSync(path.join(s.dir, "b.txt"));
    assert.deepEqual(await repo.fetch(["d"]), { count: 2, missing: [] });
    const warnings: string[] = [];
    const pulled = await repo.pull([], { onMessage: (l, t) => l === "warning" && warnings.push(t) });
    assert.equal(pulled.fetched, 1);
    assert.deepEqual(pulled.checkout.added, ["b.txt"]);
    assert.deepEqual(warnings, []);
    assert.equal(readFileSync(path.join(s.dir, "b.txt"), "utf8"), "b\n");
  } finally {
    process.chdir(cwd);
    s.cleanup();
  }
});
