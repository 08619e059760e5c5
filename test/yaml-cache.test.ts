// The persistent cache of parsed YAML (src/yaml/cache.ts): a cached model is the parsed model,
// comments, positions, styles and types included, and a bad cache entry is never trusted.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { YamlCache, fromPlain, toPlain } from "../src/yaml/cache.js";
import { textKey } from "../src/util/hash64.js";
import { checkOnce, loadYaml, loadYamlPy, useYamlCache } from "../src/yaml/load.js";
import { toPy } from "../src/yaml/model.js";
import type { PyValue } from "../src/util/py.js";
import { dumpYaml } from "../src/yaml/emit.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dvc-ts-yaml-cache-"));
after(() => {
  useYamlCache(null);
  fs.rmSync(dir, { recursive: true, force: true });
});

// Big enough to be cached, and using what the model keeps: comments (before, end-of-line,
// after), block scalars (literal and folded with fold positions), flow collections, non-string
// keys, ints (bigint), floats (NaN, ±inf and -0 too), bools, nulls, anchors and merges.
const stages = Array.from({ length: 60 }, (_, i) => `  s${i}:  # stage ${i}\n    cmd: python train.py --seed ${i}\n    deps:\n    - data/${i}.csv\n    outs:\n    - out/${i}.bin\n`).join("");
const TEXT = `# top comment

base: &base
  lr: 0.001
  epochs: 10
  flag: true
  none: null
  1: one
  big: 123456789012345678901234567890
  specials: [.nan, .inf, -.inf, -0.0, 0.0]
  2.5: float key
stages:
${stages}  folded:
    cmd: >
      a long folded command that goes on
      and on over lines
    desc: |
      literal text
        indented
    params: [a, {b: 1}]
    meta:
      <<: *base
      extra: x   # trailing
# final comment
`;

test("toPlain/fromPlain round-trips the model exactly", () => {
  useYamlCache(null);
  const model = loadYaml(TEXT);
  const back = fromPlain(toPlain(model));
  assert.deepStrictEqual(back, model);
  assert.equal(dumpYaml(back), dumpYaml(model));
});

test("loadYaml with a cache: the second load is a cache hit equal to a fresh parse", () => {
  assert.ok(YamlCache.wants(TEXT));
  useYamlCache(dir);
  const first = loadYaml(TEXT);
  const file = path.join(dir, `${YamlCache.keyOf(TEXT)}.json`);
  assert.ok(fs.existsSync(file), "the parsed model was stored");
  const before = fs.readFileSync(file);
  const second = loadYaml(TEXT);
  assert.deepStrictEqual(second, first);
  assert.notEqual(second, first, "each load returns its own copy");
  assert.ok(fs.readFileSync(file).equals(before), "a hit does not rewrite the entry");
  // The entry is really used: a (well-formed) entry for this text holding another model is what
  // comes back.
  const other = new YamlCache(dir);
  other.set(YamlCache.keyOf(TEXT), TEXT, loadYaml("a: 1\n"));
  useYamlCache(dir); // a new process: nothing remembered in memory
  assert.deepStrictEqual(loadYaml(TEXT), loadYaml("a: 1\n"));
  // A corrupted entry is ignored (the text is parsed) and replaced.
  fs.writeFileSync(file, "garbage");
  useYamlCache(dir);
  assert.deepStrictEqual(loadYaml(TEXT), first);
  assert.deepStrictEqual(new YamlCache(dir).get(YamlCache.keyOf(TEXT), TEXT), first);
});

test("an entry stored under the key of another text (a key collision) is never used", () => {
  const d = fs.mkdtempSync(path.join(dir, "collide-"));
  const key = YamlCache.keyOf(TEXT);
  const impostor = "a: 1\n" + "#".repeat(4000) + "\n";
  // Someone else's text and model under TEXT's key, recorded as having passed a check.
  const writer = new YamlCache(d);
  writer.set(key, impostor, loadYaml("a: 1\n"));
  writer.markPassed(key, "dvc-yaml");
  assert.equal(new YamlCache(d).get(key, TEXT), undefined);
  const reader = new YamlCache(d);
  assert.ok(reader.get(key, impostor) !== undefined);
  assert.equal(reader.passed(key, "dvc-yaml"), true, "the check is recorded for the impostor's text");
  useYamlCache(d);
  const fresh = loadYaml(TEXT);
  useYamlCache(null);
  assert.deepStrictEqual(fresh, loadYaml(TEXT), "TEXT is parsed, not taken from the entry");
  useYamlCache(d);
  let runs = 0;
  checkOnce(TEXT, "dvc-yaml", () => {
    runs++;
  });
  assert.equal(runs, 1, "the check runs: what was recorded was for another text");
  useYamlCache(null);
});

test("textKey: 16 hex digits, sensitive to every character and to length", () => {
  const k = textKey(TEXT);
  assert.match(k, /^[0-9a-f]{16}$/);
  assert.equal(textKey(TEXT), k);
  const seen = new Set([k]);
  for (let i = 0; i < TEXT.length; i += 7) {
    const changed = TEXT.slice(0, i) + String.fromCharCode(TEXT.charCodeAt(i) ^ 1) + TEXT.slice(i + 1);
    seen.add(textKey(changed));
  }
  seen.add(textKey(TEXT + "\0"));
  seen.add(textKey(""));
  assert.equal(seen.size, Math.ceil(TEXT.length / 7) + 3);
});

test("small texts and texts that fail to load are not cached", () => {
  const d = fs.mkdtempSync(path.join(dir, "sub-"));
  useYamlCache(d);
  loadYaml("a: 1\n");
  assert.throws(() => loadYaml(TEXT + "bad: [\n"));
  assert.deepEqual(fs.readdirSync(d), []);
  // a repository deleted after it was opened is not recreated by a late write
  const gone = path.join(dir, "gone");
  useYamlCache(path.join(gone, ".dvc", "tmp", "dvc-ts", "yaml"));
  loadYaml(TEXT);
  assert.equal(fs.existsSync(gone), false);
  useYamlCache(null);
});

test("checkOnce: a check the text passed is not run again; a failing one always runs", () => {
  const d = fs.mkdtempSync(path.join(dir, "checks-"));
  useYamlCache(d);
  loadYaml(TEXT);
  let runs = 0;
  const pass = (): void => {
    runs++;
  };
  checkOnce(TEXT, "dvc-yaml", pass);
  checkOnce(TEXT, "dvc-yaml", pass);
  assert.equal(runs, 1);
  // recorded in the entry: a new process (cache instance) does not run it either
  useYamlCache(d);
  loadYaml(TEXT);
  checkOnce(TEXT, "dvc-yaml", pass);
  assert.equal(runs, 1);
  // another check of the same text, and the same check of another text, run
  checkOnce(TEXT, "dvc-lock", pass);
  const other = TEXT + "extra: 1\n";
  loadYaml(other);
  checkOnce(other, "dvc-yaml", pass);
  assert.equal(runs, 3);
  // a failure is not recorded
  const fail = (): void => {
    runs++;
    throw new Error("invalid");
  };
  const third = TEXT + "more: 2\n";
  loadYaml(third);
  assert.throws(() => checkOnce(third, "dvc-yaml", fail), /invalid/);
  assert.throws(() => checkOnce(third, "dvc-yaml", fail), /invalid/);
  assert.equal(runs, 5);
  useYamlCache(null);
});

test("loadYamlPy: the plain values of the model, from a parse or from a cache entry", () => {
  const d = fs.mkdtempSync(path.join(dir, "py-"));
  useYamlCache(null);
  const expected = toPy(loadYaml(TEXT));
  useYamlCache(d);
  assert.deepStrictEqual(loadYamlPy(TEXT), expected, "miss: parsed");
  useYamlCache(d);
  assert.deepStrictEqual(loadYamlPy(TEXT), expected, "hit: from the entry's plain data");
  const specials = (expected as Map<string, PyValue>).get("base") as Map<string, PyValue>;
  assert.deepStrictEqual(specials.get("specials"), [NaN, Infinity, -Infinity, -0, 0]);
  assert.equal(typeof specials.get("big"), "bigint");
  useYamlCache(null);
});
