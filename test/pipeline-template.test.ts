// Unit tests of dvc.yaml templating (src/pipeline/{interpolate,context,resolve}.ts) against
// DVC 3.x behaviour: placeholder grammar and pyparsing error text, value stringification, dict
// unpacking, the context's merge/loading rules and messages, reserved keys, foreach/matrix
// names, error wrapping (incl. the err-* compat transcripts), tracked values, and robustness.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DvcException } from "../src/errors.js";
import { Context, Meta, humanJoin, pyNormpath } from "../src/pipeline/context.js";
import {
  dictToArgs,
  getMatches,
  parseExpr,
  shlexQuote,
  strInterpolate,
  toStr,
  validateValue,
  type ParsingConfig,
} from "../src/pipeline/interpolate.js";
import { JSONFileCorruptedError, rawKeyOf } from "../src/pipeline/params.js";
import { EntryNotFoundError, PipelineResolver, ResolveError, resolvePipeline, type ResolvedPipeline } from "../src/pipeline/resolve.js";
import { jsonDumps, type PyValue } from "../src/util/py.js";
import { loadYaml } from "../src/yaml/load.js";
import { YMap, YSeq } from "../src/yaml/model.js";

// ---------------------------------------------------------------------------------------------
// helpers

function tmpRepo(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dvc-ts-tmpl-"));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

interface Run {
  dir?: string;
  files?: Record<string, string>;
  relpath?: string;
  parsing?: ParsingConfig;
}

function doc(yaml: string): YMap {
  const d = loadYaml(yaml);
  return d instanceof YMap ? d : new YMap();
}

function resolve(yaml: string, run: Run = {}): ResolvedPipeline & { warnings: string[] } {
  const dir = run.dir ?? tmpRepo(run.files);
  const relpath = run.relpath ?? "dvc.yaml";
  const warnings: string[] = [];
  const r = resolvePipeline(doc(yaml), {
    file: path.join(dir, relpath),
    relpath,
    parsing: run.parsing,
    warn: (m) => warnings.push(m),
  });
  return { ...r, warnings };
}

/** The message of the ResolveError (or other DvcException) thrown by `fn`. */
function errorOf(fn: () => unknown, cls: new (...a: never[]) => Error = ResolveError): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    return (e as Error).message;
  }
  assert.fail("expected an error");
}

function resolveError(yaml: string, run: Run = {}): string {
  return errorOf(() => resolve(yaml, run));
}

/** name -> def as Python-style JSON, for compact assertions. */
function defs(r: ResolvedPipeline): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of r.stages) out[s.name] = jsonDumps(s.def);
  return out;
}

function names(r: ResolvedPipeline): string[] {
  return r.stages.map((s) => s.name);
}

function cmdOf(r: ResolvedPipeline, name: string): PyValue | undefined {
  return r.stages.find((s) => s.name === name)?.def.get("cmd");
}

function trackedJson(r: ResolvedPipeline, name: string): string {
  return jsonDumps(r.tracked.get(name) ?? new Map());
}

// ---------------------------------------------------------------------------------------------

describe("placeholders and the expression grammar (§2.2)", () => {
  it("finds ${...} up to the first }, not after a backslash, not across newlines", () => {
    assert.deepEqual(
      getMatches("a ${x} \\${y} ${z.w}").map((m) => m.inner),
      ["x", "z.w"],
    );
    assert.deepEqual(getMatches("${a${b}}").map((m) => m.inner), ["a${b"]);
    assert.deepEqual(getMatches("${a\nb}"), []);
    assert.deepEqual(getMatches("no placeholders $x {y}"), []);
  });

  it("normalises a.b.0, a[b][0] and a.b[0] to the same dotted key", () => {
    assert.equal(parseExpr("a.b.0"), "a.b.0");
    assert.equal(parseExpr("a[b][0]"), "a.b.0");
    assert.equal(parseExpr("a.b[0]"), "a.b.0");
    assert.equal(parseExpr(" a . b "), " a . b "); // words keep their spaces; lookup strips them
    assert.equal(parseExpr("a[0]   [1]"), "a.0.1");
  });

  it("reports syntax errors with pyparsing's text", () => {
    const err = (s: string) => errorOf(() => parseExpr(s), DvcException);
    assert.equal(
      err("models.foo."),
      "${models.foo.}\n            ^\nParseException: Expected end of text, found '.'  (at char 12), (line:1, col:13)",
    );
    assert.equal(
      err("models.foo]"),
      "${models.foo]}\n            ^\nParseException: Expected end of text, found ']'  (at char 12), (line:1, col:13)",
    );
    assert.equal(
      err("syntax.[error"),
      "${syntax.[error}\n        ^\nParseException: Expected end of text, found '.'  (at char 8), (line:1, col:9)",
    );
    assert.equal(err(""), "${}\n  ^\nParseException: Expected !W:(.[]), found '}'  (at char 2), (line:1, col:3)");
    assert.equal(err("[a]"), "${[a]}\n  ^\nParseException: Expected !W:(.[]), found '['  (at char 2), (line:1, col:3)");
    // the "found" word is up to 16 Latin-1 alphanumerics; tabs are expanded first
    assert.equal(
      err("a[0]héllo_wörld"),
      "${a[0]héllo_wörld}\n      ^\nParseException: Expected end of text, found 'héllo'  (at char 6), (line:1, col:7)",
    );
    assert.equal(
      err("\tx."),
      "${        x.}\n           ^\nParseException: Expected end of text, found '.'  (at char 11), (line:1, col:12)",
    );
    assert.equal(err("a[0]\\"), "${a[0]\\}\n      ^\nParseException: Expected end of text, found '\\'  (at char 6), (line:1, col:7)");
    assert.equal(err("a[0]'"), "${a[0]'}\n      ^\nParseException: Expected end of text, found \"'\"  (at char 6), (line:1, col:7)");
  });
});

describe("values as text (§2.4)", () => {
  it("stringifies like Python, bools as true/false", () => {
    assert.equal(toStr(true), "true");
    assert.equal(toStr(false), "false");
    assert.equal(toStr(null), "None");
    assert.equal(toStr(1n), "1");
    assert.equal(toStr(1.0), "1.0");
    assert.equal(toStr(0.0001), "0.0001");
    assert.equal(toStr(0.00001), "1e-05");
    assert.equal(toStr(1e16), "1e+16");
    assert.equal(toStr(Infinity), "inf");
    assert.equal(toStr([1n, "a", true]), "[1, 'a', True]");
    assert.equal(toStr("x"), "x");
  });

  it("unpacks a dict into arguments (the §2.4 example)", () => {
    const params = new Map<string, PyValue>([
      ["foo", "foo"],
      ["bar", 1n],
      ["b", true],
      ["n", new Map([["x", "a b"]])],
      ["l", [2n, "q"]],
    ]);
    assert.equal(dictToArgs(params), "--foo foo --bar 1 --b --n.x 'a b' --l 2 q");
    assert.equal(toStr(params), "--foo foo --bar 1 --b --n.x 'a b' --l 2 q");
  });

  it("honours parsing.bool and parsing.list", () => {
    const d = new Map<string, PyValue>([
      ["on", true],
      ["off", false],
      ["l", [1n, "x y", false, null, 0.5]],
      ["e", []],
      ["none", null],
      ["emptydict", new Map()],
    ]);
    assert.equal(dictToArgs(d), "--on --l 1 'x y' False None 0.5 --none None");
    assert.equal(dictToArgs(d, { bool: "boolean_optional" }), "--on --no-off --l 1 'x y' False None 0.5 --none None");
    assert.equal(dictToArgs(d, { list: "append" }), "--on --l 1 --l 'x y' --l False --l None --l 0.5 --none None");
    assert.throws(() => dictToArgs(new Map([["list", [1n, [2n, 3n]]]])), { message: "Cannot interpolate nested iterable in 'list'" });
  });

  it("quotes like shlex.quote", () => {
    assert.equal(shlexQuote(""), "''");
    assert.equal(shlexQuote("a-b_c.d/e:f,g=h+i@j%k"), "a-b_c.d/e:f,g=h+i@j%k");
    assert.equal(shlexQuote("it's"), "'it'\"'\"'s'");
    assert.equal(shlexQuote("a b"), "'a b'");
    assert.equal(shlexQuote("é"), "'é'");
  });

  it("checks types: lists/dicts refused except a dict in cmd", () => {
    assert.doesNotThrow(() => validateValue(new Map(), "cmd"));
    assert.throws(() => validateValue([1n], "cmd"), { message: "Cannot interpolate data of type 'list'" });
    assert.throws(() => validateValue(new Map(), "outs"), { message: "Cannot interpolate data of type 'dict'" });
    assert.doesNotThrow(() => validateValue([1n], undefined));
    assert.doesNotThrow(() => validateValue([1n], "foreach"));
  });

  it("unescapes \\${ after interpolation", () => {
    const s = "a \\${x} ${y}";
    assert.equal(strInterpolate(s, getMatches(s), () => 1n), "a ${x} 1");
  });
});

describe("context (§2.1)", () => {
  it("selects dotted keys with list indices (negative too)", () => {
    const ctx = Context.fromData(
      new Map<string, PyValue>([
        ["a", new Map<string, PyValue>([["b", [10n, 20n, 30n]]])],
        ["s", "str"],
      ]),
      new Meta(),
    );
    assert.equal(ctx.select("a.b.0", true), 10n);
    assert.equal(ctx.select("a[b][-1]", true), 30n);
    assert.equal(ctx.select(" a . b . 1 ", true), 20n);
    assert.throws(() => ctx.select("a.b.3"), { message: "Could not find 'a.b.3'" });
    assert.throws(() => ctx.select("s.x"), { message: "Could not find 's.x'" });
    assert.throws(() => ctx.select("a.b.x"), { message: "Could not find 'a.b.x'" });
  });

  it("joins and normalises paths like Python", () => {
    assert.equal(pyNormpath(""), ".");
    assert.equal(pyNormpath("a/./b/../c/"), "a/c");
    assert.equal(pyNormpath("../x"), "../x");
    assert.equal(pyNormpath("/../x"), "/x");
    assert.equal(humanJoin(["item", "key"]), "item and key");
    assert.equal(humanJoin(["a", "b", "c"]), "a, b and c");
  });

  it("loads params.yaml first, then vars files and inline maps", () => {
    const r = resolve(
      "vars:\n- other.json\n- inline: 1\nstages:\n  s:\n    cmd: ${a} ${b} ${inline}\n",
      { files: { "params.yaml": "a: 1\n", "other.json": '{"b": 2.0}' } },
    );
    assert.equal(cmdOf(r, "s"), "1 2.0 1");
  });

  it("selects top-level keys only with path:k1,k2", () => {
    const files = { "p.yaml": "x: 1\ny: 2\nz: 3\ntrain.lr: 9\ntrain:\n  lr: 5\n" };
    const r = resolve("vars:\n- p.yaml:x,y\nstages:\n  s:\n    cmd: ${x}${y}\n", { files });
    assert.equal(cmdOf(r, "s"), "12");
    assert.match(resolveError("vars:\n- p.yaml:x\nstages:\n  s:\n    cmd: ${z}\n", { files }), /Could not find 'z'$/);
    // `train.lr` selects the literal top-level key `train.lr`, which `${train.lr}` cannot reach
    assert.equal(
      resolveError("vars:\n- p.yaml:train.lr\nstages:\n  s:\n    cmd: ${train.lr}\n", { files }),
      "failed to parse 'stages.s.cmd' in 'dvc.yaml': Could not find 'train.lr'",
    );
    assert.equal(
      resolveError("vars:\n- p.yaml:nope\nstages: {}\n", { files }),
      "failed to parse 'vars' in 'dvc.yaml': could not find 'nope' in 'p.yaml'",
    );
  });

  it("refuses to redefine anything (merge errors)", () => {
    const models = "models:\n  bar: bar\n  foo: foo\n";
    assert.equal(
      resolveError("vars:\n- params.yaml\n- params.json\n", { files: { "params.yaml": models, "params.json": '{"models": {"bar": "bar", "foo": "foo"}}' } }),
      "failed to parse 'vars' in 'dvc.yaml':\ncannot redefine 'models.bar' from 'params.json' as it already exists in 'params.yaml'",
    );
    assert.equal(
      resolveError("vars:\n- models:\n    bar: bar\n", { files: { "params.yaml": models } }),
      "failed to parse 'vars' in 'dvc.yaml':\ncannot redefine 'models.bar' from 'vars[0]' as it already exists in 'params.yaml'",
    );
    assert.equal(
      resolveError("vars:\n- bar: 1\n- bar: 2\n"),
      "failed to parse 'vars' in 'dvc.yaml':\ncannot redefine 'bar' from 'vars[1]' as it already exists in 'vars[0]'",
    );
    // map vs scalar and lists collide too
    assert.equal(
      resolveError("vars:\n- models: 1\n", { files: { "params.yaml": models } }),
      "failed to parse 'vars' in 'dvc.yaml':\ncannot redefine 'models' from 'vars[0]' as it already exists in 'params.yaml'",
    );
    assert.equal(
      resolveError("vars:\n- l: [3]\n", { files: { "params.yaml": "l: [1, 2]\n" } }),
      "failed to parse 'vars' in 'dvc.yaml':\ncannot redefine 'l' from 'vars[0]' as it already exists in 'params.yaml'",
    );
    // disjoint maps merge deeply
    const r = resolve("vars:\n- models:\n    baz: z\nstages:\n  s:\n    cmd: ${models.foo}${models.baz}\n", { files: { "params.yaml": models } });
    assert.equal(cmdOf(r, "s"), "fooz");
  });

  it("reports stage-level merge errors against the stage", () => {
    const files = { "params.yaml": "models:\n  bar: bar\n  foo: foo\n", "params.json": '{"models": {"bar": "x"}}' };
    assert.equal(
      resolveError("stages:\n  build:\n    vars:\n    - models:\n        bar: 1\n    cmd: echo ${models.foo}\n", { files }),
      "failed to parse stage 'build' in 'dvc.yaml':\ncannot redefine 'models.bar' from 'build.vars[0]' as it already exists in 'params.yaml'",
    );
    assert.equal(
      resolveError("stages:\n  build:\n    vars:\n    - params.json\n    cmd: echo ${models.foo}\n", { files }),
      "failed to parse stage 'build' in 'dvc.yaml':\ncannot redefine 'models.bar' from 'params.json' as it already exists in 'params.yaml'",
    );
    // containers copied for a stage's context lose their origin (DVC quirk)
    assert.equal(
      resolveError("stages:\n  build:\n    vars:\n    - l: [1]\n    cmd: x\n", { files: { "params.yaml": "l: [1, 2]\n" } }),
      "failed to parse stage 'build' in 'dvc.yaml':\ncannot redefine 'l' from 'build.vars[0]' as it already exists in 'None'",
    );
  });

  it("applies the rules for loading one file twice", () => {
    const files = { "test_params.yaml": "sub1: sub1\nsub2: sub2\nsub3: sub3\n" };
    const load = (vars: string[]) => `vars:\n${vars.map((v) => `- ${v}\n`).join("")}stages:\n  s:\n    cmd: echo ${"${sub1}"}\n`;
    // full after full: ignored
    assert.equal(resolve(load(["test_params.yaml", "test_params.yaml"]), { files }).stages.length, 1);
    assert.equal(resolve(load(["params.yaml", "./params.yaml"]), { files: { "params.yaml": "sub1: 1\n" } }).stages.length, 1);
    // disjoint partials merge
    assert.equal(resolve(load(["test_params.yaml:sub1", "test_params.yaml:sub2,sub3"]), { files }).stages.length, 1);
    assert.equal(
      resolveError(load(["test_params.yaml", "test_params.yaml:sub1"]), { files }),
      "failed to parse 'vars' in 'dvc.yaml':\ncannot partially load 'test_params.yaml:sub1' as it's already loaded.",
    );
    assert.equal(
      resolveError(load(["test_params.yaml:sub1", "test_params.yaml"]), { files }),
      "failed to parse 'vars' in 'dvc.yaml':\ncannot load 'test_params.yaml' as it's partially loaded already",
    );
    assert.equal(
      resolveError(load(["test_params.yaml:sub1", "test_params.yaml:sub1,sub2"]), { files }),
      "failed to parse 'vars' in 'dvc.yaml':\ncannot load 'test_params.yaml:sub1,sub2' as it's partially loaded already",
    );
    // in a stage: reported against 'stages.<name>.vars'
    assert.equal(
      resolveError("stages:\n  build:\n    vars:\n    - test_params.yaml:sub1\n    - test_params.yaml\n    cmd: x\n", { files }),
      "failed to parse 'stages.build.vars' in 'dvc.yaml':\ncannot load 'test_params.yaml' as it's partially loaded already",
    );
    // a stage's ../params.yaml is the already-loaded params.yaml: fine
    const r = resolve("stages:\n  s:\n    wdir: sub\n    vars:\n    - ../params.yaml\n    cmd: echo ${sub1}\n", { files: { "params.yaml": "sub1: 1\n" } });
    assert.equal(cmdOf(r, "s"), "echo 1");
  });

  it("reports missing files, directories and non-dict files", () => {
    assert.equal(
      resolveError("vars:\n- missing.yaml\nstages:\n  s:\n    cmd: echo x\n"),
      "failed to parse 'vars' in 'dvc.yaml': 'missing.yaml' does not exist",
    );
    assert.equal(
      resolveError("vars:\n- d\n", { files: { "d/x": "" } }),
      "failed to parse 'vars' in 'dvc.yaml': 'd' is a directory",
    );
    assert.equal(
      resolveError("vars:\n- l.yaml\n", { files: { "l.yaml": "- 1\n- 2\n" } }),
      "failed to parse 'vars' in 'dvc.yaml': expected a dictionary, got 'list' in file 'l.yaml'",
    );
    assert.equal(
      resolveError("vars:\n- n.json\n", { files: { "n.json": "1.5" } }),
      "failed to parse 'vars' in 'dvc.yaml': expected a dictionary, got 'float' in file 'n.json'",
    );
    // a falsy document is an empty dict
    assert.equal(resolve("vars:\n- e.yaml\n- z.json\n", { files: { "e.yaml": "", "z.json": "0" } }).stages.length, 0);
    assert.equal(
      resolveError("stages:\n  build:\n    vars:\n    - not_existing_params.yaml\n    cmd: echo ${models.foo}\n"),
      "failed to parse stage 'build' in 'dvc.yaml': 'not_existing_params.yaml' does not exist",
    );
    assert.equal(
      resolveError("stages:\n  build:\n    vars:\n    - test_params.yaml:sub3\n    cmd: echo\n", { files: { "test_params.yaml": "sub1: 1\n" } }),
      "failed to parse stage 'build' in 'dvc.yaml': could not find 'sub3' in 'test_params.yaml'",
    );
    // a corrupted file is not wrapped
    assert.equal(
      errorOf(() => resolve("vars:\n- bad.json\n", { files: { "bad.json": "{" } }), JSONFileCorruptedError),
      "unable to read: 'bad.json', JSON file structure is corrupted",
    );
  });

  it("prints vars paths relative to the cwd for a nested dvc.yaml", () => {
    assert.equal(
      resolveError("vars:\n- missing.yaml\n", { relpath: "sub/dvc.yaml", files: { "sub/.keep": "" } }),
      "failed to parse 'vars' in 'sub/dvc.yaml': 'sub/missing.yaml' does not exist",
    );
    const r = resolve("stages:\n  s:\n    cmd: ${a}\n", { relpath: "sub/dvc.yaml", files: { "sub/params.yaml": "a: 1\n" } });
    assert.equal(trackedJson(r, "s"), '{"sub/params.yaml": {"a": 1}}');
  });

  it("refuses ${} inside vars", () => {
    assert.equal(resolveError("vars:\n- ${file}_params.yaml\n- bar: foo\n"), "failed to parse 'vars' in 'dvc.yaml': interpolating is not allowed");
    assert.equal(resolveError("vars:\n- foo: ${foo}\n"), "failed to parse 'vars' in 'dvc.yaml': interpolating is not allowed");
    assert.equal(
      resolveError("stages:\n  build:\n    vars:\n    - foo: ${foo}\n    cmd: x\n"),
      "failed to parse 'stages.build.vars' in 'dvc.yaml': interpolating is not allowed",
    );
  });

  it("drops non-string keys from the context", () => {
    const r = resolve("stages:\n  s:\n    cmd: echo ${m}\n", { files: { "params.yaml": "m:\n  1: a\n  b: 2\n" } });
    assert.equal(cmdOf(r, "s"), "echo --b 2");
  });
});

describe("stage resolution (§2.3-2.5)", () => {
  it("keeps the type of a whole-string placeholder and stringifies embedded ones", () => {
    const files = { "params.yaml": "i: 1\nf: 1.0\nt: 0.0001\ne: 1.0e-05\nb: true\nn: null\ns: text\n" };
    const r = resolve("stages:\n  s:\n    cmd: i=${i} f=${f} t=${t} e=${e} b=${b} n=${n} s=${s}\n    meta:\n      i: ${i}\n      f: ${f}\n      b: ${b}\n      n: ${n}\n", { files });
    const def = r.stages[0].def;
    assert.equal(def.get("cmd"), "i=1 f=1.0 t=0.0001 e=1e-05 b=true n=None s=text");
    const meta = def.get("meta") as Map<string, PyValue>;
    assert.equal(meta.get("i"), 1n);
    assert.equal(meta.get("f"), 1.0);
    assert.equal(typeof meta.get("f"), "number");
    assert.equal(meta.get("b"), true);
    assert.equal(meta.get("n"), null);
  });

  it("interpolates values and keys everywhere in a stage except vars, and unescapes \\${", () => {
    const files = { "params.yaml": "dirs:\n  work: stage-dir\nfiles:\n  input: in.txt\n  output: result.txt\nk: remote\n" };
    const r = resolve(
      "stages:\n  s:\n    wdir: ${dirs.work}\n    cmd:\n    - cp ${files.input} ${files.output}\n    - echo \\${HOME}\n    deps:\n    - ${files.input}\n    outs:\n    - ${files.output}:\n        ${k}: r-${k}\n    desc: d ${k}\n",
      { files },
    );
    assert.equal(
      defs(r).s,
      '{"wdir": "stage-dir", "cmd": ["cp in.txt result.txt", "echo ${HOME}"], "deps": ["in.txt"], "outs": [{"result.txt": {"remote": "r-remote"}}], "desc": "d remote"}',
    );
  });

  it("wraps missing keys and type errors (err-missing-interp)", () => {
    const files = { "params.yaml": "models:\n  foo: 1\nlst: [1, 2]\n" };
    assert.equal(
      resolveError("stages:\n  s:\n    cmd: echo ${models.foobar}\n", { files }),
      "failed to parse 'stages.s.cmd' in 'dvc.yaml': Could not find 'models.foobar'",
    );
    assert.equal(
      resolveError("stages:\n  s:\n    cmd: echo x\n    outs:\n    - ${lst}\n", { files }),
      "failed to parse 'stages.s.outs' in 'dvc.yaml':\nCannot interpolate data of type 'list'",
    );
    assert.equal(
      resolveError("stages:\n  s:\n    cmd: echo ${lst}\n", { files }),
      "failed to parse 'stages.s.cmd' in 'dvc.yaml':\nCannot interpolate data of type 'list'",
    );
    assert.equal(
      resolveError("stages:\n  s:\n    cmd: echo x\n    outs: ['${models}']\n", { files }),
      "failed to parse 'stages.s.outs' in 'dvc.yaml':\nCannot interpolate data of type 'dict'",
    );
    assert.equal(
      resolveError("stages:\n  s:\n    cmd: echo ${models[foobar]}\n", { files }),
      "failed to parse 'stages.s.cmd' in 'dvc.yaml': Could not find 'models.foobar'",
    );
    assert.equal(
      resolveError("stages:\n  s:\n    cmd: echo ${models.foo.}\n", { files }),
      "failed to parse 'stages.s.cmd' in 'dvc.yaml':\n${models.foo.}\n            ^\nParseException: Expected end of text, found '.'  (at char 12), (line:1, col:13)",
    );
    assert.equal(
      resolveError("stages:\n  build:\n    wdir: ${models[foobar]}\n    cmd: echo\n", { files }),
      "failed to parse 'stages.build.wdir' in 'dvc.yaml': Could not find 'models.foobar'",
    );
    assert.equal(
      resolveError("stages:\n  build:\n    wdir: ${models.foo]}\n    cmd: echo\n", { files }),
      "failed to parse 'stages.build.wdir' in 'dvc.yaml':\n${models.foo]}\n            ^\nParseException: Expected end of text, found ']'  (at char 12), (line:1, col:13)",
    );
    assert.equal(
      resolveError("stages:\n  s:\n    cmd: echo ${m}\n", { files: { "params.yaml": "m:\n  list: [1, [2, 3]]\n" } }),
      "failed to parse 'stages.s.cmd' in 'dvc.yaml':\nCannot interpolate nested iterable in 'list'",
    );
  });

  it("unpacks a dict in cmd (yaml-dict-unpack), and passes a whole-string dict through", () => {
    const files = {
      "params.yaml": "opts:\n  foo: foo\n  bar: 1\n  flag: true\n  off: false\n  ratio: 0.5\n  nested:\n    x: a b\n  items: [2, q, true]\n  empty: ''\n",
    };
    const r = resolve("stages:\n  s:\n    cmd: echo ARGS ${opts}\n", { files });
    assert.equal(cmdOf(r, "s"), "echo ARGS --foo foo --bar 1 --flag --ratio 0.5 --nested.x 'a b' --items 2 q True --empty ''");
    const r2 = resolve("stages:\n  s:\n    cmd: python t.py ${opts}\n", { files, parsing: { bool: "boolean_optional", list: "append" } });
    assert.equal(cmdOf(r2, "s"), "python t.py --foo foo --bar 1 --flag --no-off --ratio 0.5 --nested.x 'a b' --items 2 --items q --items True --empty ''");
    const r3 = resolve("stages:\n  s:\n    cmd: ${opts}\n", { files: { "params.yaml": "opts:\n  a: 1\n" } });
    assert.equal(jsonDumps(cmdOf(r3, "s")!), '{"a": 1}');
  });

  it("resolves top-level sections against the global context only", () => {
    const files = { "params.yaml": "m: metrics.json\nname: model\nn: 5\n" };
    const r = resolve(
      "stages:\n  s:\n    vars:\n    - local: x\n    cmd: echo\nmetrics:\n- ${m}\nparams:\n- p-${n}.yaml\nplots:\n- ${m}:\n    x: ${name}\nartifacts:\n  ${name}:\n    path: ${name}.pkl\ndatasets:\n- name: ${name}\n  type: dvc\n",
      { files },
    );
    assert.equal(jsonDumps(r.metrics()), '["metrics.json"]');
    assert.equal(jsonDumps(r.params()), '["p-5.yaml"]');
    assert.equal(jsonDumps(r.plots()), '[{"metrics.json": {"x": "model"}}]');
    assert.equal(jsonDumps(r.artifacts()), '{"model": {"path": "model.pkl"}}');
    assert.equal(jsonDumps(r.datasets()), '[{"name": "model", "type": "dvc"}]');
    const bad = resolve("metrics:\n- ${local}\nartifacts:\n  ${n}:\n    path: x\n", { files });
    assert.equal(errorOf(() => bad.metrics()), "failed to parse 'metrics.0' in 'dvc.yaml': Could not find 'local'");
    assert.equal(errorOf(() => bad.artifacts()), "failed to resolve 'artifacts.${n}' in 'dvc.yaml': expected str, got int");
    const syn = resolve("plots:\n- ${a.}\n", { files });
    assert.match(errorOf(() => syn.plots()), /^failed to parse 'plots\.0' in 'dvc.yaml':\n\$\{a\.\}\n/);
  });

  it("never interpolates stage names", () => {
    const r = resolve("stages:\n  ${x}:\n    cmd: echo\n", { files: { "params.yaml": "x: 1\n" } });
    assert.deepEqual(names(r), ["${x}"]);
  });

  it("records tracked values from files, not inline vars (§2.6)", () => {
    const files = {
      "params.yaml": "seed: 42\ntrain:\n  lr: 0.01\n  layers: [1, 2]\n",
      "extra.yaml": "depth: 4\n",
    };
    const r = resolve(
      "vars:\n- extra.yaml\n- inline: 7\nstages:\n  s:\n    cmd: echo ${seed} ${train.lr} ${inline} ${depth}\n    outs:\n    - ${train.layers[0]}.txt\n  t:\n    cmd: echo ${train}\n",
      { files },
    );
    assert.equal(trackedJson(r, "s"), '{"params.yaml": {"seed": 42, "train.lr": 0.01, "train.layers.0": 1}, "extra.yaml": {"depth": 4}}');
    // a dict selected whole (unpacked in cmd) records nothing
    assert.equal(cmdOf(r, "t"), "echo --lr 0.01 --layers 1 2");
    assert.equal(trackedJson(r, "t"), "{}");
    // stage vars files are tracked under their path
    const r2 = resolve("stages:\n  s:\n    wdir: w\n    vars:\n    - params.yaml\n    cmd: ${x}\n", { files: { "w/params.yaml": "x: 1\n" } });
    assert.equal(trackedJson(r2, "s"), '{"w/params.yaml": {"x": 1}}');
  });

  it("a stage with no ${} resolves to an equal definition, with or without (empty) vars: non-string keys kept, nothing tracked", () => {
    const body =
      "    cmd: [echo a, 'echo $HOME \\$ {x}']\n    deps: [x]\n    wdir: sub\n" +
      "    meta:\n      7: seven\n      true: yes\n      nested: {2.5: f, k: [1, null, {3: three}]}\n";
    const fast = resolve(`stages:\n  s:\n${body}`);
    // an empty `vars` list changes nothing but the key itself
    const full = resolve(`stages:\n  s:\n    vars: []\n${body}`);
    const [a, b] = [fast.stages[0], full.stages[0]];
    assert.equal(jsonDumps(a.def), jsonDumps(b.def));
    assert.deepEqual([...a.def.keys()], [...b.def.keys()]);
    assert.equal(a.parametrized, false);
    assert.equal(trackedJson(fast, "s"), "{}");
    const meta = (d: Map<string, PyValue>) => d.get("meta") as Map<string, PyValue>;
    for (const m of [meta(a.def), meta(b.def)]) {
      assert.equal(rawKeyOf(m, "7"), 7n);
      assert.equal(rawKeyOf(m, "True"), true);
      const nested = m.get("nested") as Map<string, PyValue>;
      assert.equal(rawKeyOf(nested, "2.5"), 2.5);
      const inner = (nested.get("k") as PyValue[])[2] as Map<string, PyValue>;
      assert.equal(rawKeyOf(inner, "3"), 3n);
    }
  });

  it("reports the parametrized flag", () => {
    const r = resolve("stages:\n  a:\n    cmd: echo\n  b:\n    cmd: echo ${x}\n  c:\n    vars:\n    - y: 1\n    cmd: echo\n", { files: { "params.yaml": "x: 1\n" } });
    assert.deepEqual(
      r.stages.map((s) => [s.name, s.parametrized]),
      [
        ["a", false],
        ["b", true],
        ["c", true],
      ],
    );
    assert.deepEqual(
      r.stages.map((s) => s.line),
      [2, 4, 6],
    );
  });
});

describe("foreach and matrix (§3)", () => {
  it("names members of a dict by key (yaml-foreach-dict)", () => {
    const r = resolve(
      "stages:\n  build:\n    foreach:\n      small:\n        size: 1\n        tag: s\n      large:\n        size: 100\n        tag: l\n    do:\n      cmd: echo ${key} ${item.size} ${item.tag} > ${key}.txt\n      outs:\n      - ${key}.txt\n",
    );
    assert.deepEqual(defs(r), {
      "build@small": '{"cmd": "echo small 1 s > small.txt", "outs": ["small.txt"]}',
      "build@large": '{"cmd": "echo large 100 l > large.txt", "outs": ["large.txt"]}',
    });
    assert.deepEqual(
      r.stages.map((s) => s.group),
      ["build", "build"],
    );
  });

  it("names members of a list of scalars by value, collapsing duplicates", () => {
    const r = resolve("stages:\n  run:\n    foreach: [0.001, 1.0, 1, true, null, uk, 1e-05, uk]\n    do:\n      cmd: echo ${item}\n");
    assert.deepEqual(names(r), ["run@0.001", "run@1.0", "run@1", "run@true", "run@None", "run@uk", "run@1e-05"]);
    assert.equal(cmdOf(r, "run@true"), "echo true");
    assert.equal(cmdOf(r, "run@None"), "echo None");
  });

  it("names members of a list with containers by index; ${key} is not set", () => {
    const r = resolve("stages:\n  conv:\n    foreach:\n    - src: a\n      dst: A\n    - b\n    do:\n      cmd: echo ${item}\n");
    assert.deepEqual(names(r), ["conv@0", "conv@1"]);
    assert.equal(cmdOf(r, "conv@1"), "echo b");
    assert.equal(
      resolveError("stages:\n  conv:\n    foreach:\n    - [a]\n    do:\n      cmd: echo ${key}\n"),
      "failed to parse 'stages.conv@0.cmd' in 'dvc.yaml': Could not find 'key'",
    );
  });

  it("stringifies non-string keys of a literal dict", () => {
    const r = resolve("stages:\n  build:\n    foreach:\n      2021: foo\n      2022: bar\n      true: t\n    do:\n      cmd: echo ${key} ${item}\n");
    assert.deepEqual(defs(r), {
      "build@2021": '{"cmd": "echo 2021 foo"}',
      "build@2022": '{"cmd": "echo 2022 bar"}',
      "build@true": '{"cmd": "echo true t"}',
    });
  });

  it("takes foreach data from params (yaml-foreach-from-params) and tracks item values", () => {
    const files = { "params.yaml": "models:\n  lin:\n    depth: 1\n  tree:\n    depth: 5\nlst: [{thresh: foo}, {thresh: bar}]\nflags: [true, false]\n" };
    const r = resolve(
      "stages:\n  fit:\n    foreach: ${models}\n    do:\n      cmd: echo ${key} depth ${item.depth} > fit-${key}.txt\n  l:\n    foreach: ${lst}\n    do:\n      cmd: echo ${item.thresh}\n  f:\n    foreach: ${flags}\n    do:\n      cmd: echo ${item}\n",
      { files },
    );
    assert.deepEqual(names(r), ["fit@lin", "fit@tree", "l@0", "l@1", "f@True", "f@False"]);
    assert.equal(cmdOf(r, "fit@tree"), "echo tree depth 5 > fit-tree.txt");
    assert.equal(trackedJson(r, "fit@lin"), '{"params.yaml": {"models.lin.depth": 1}}');
    assert.equal(trackedJson(r, "l@1"), '{"params.yaml": {"lst.1.thresh": "bar"}}');
    assert.equal(cmdOf(r, "f@False"), "echo false");
  });

  it("rejects foreach data that is not a list or dict (err-foreach-bad)", () => {
    assert.equal(
      resolveError("stages:\n  f:\n    foreach: just-a-string\n    do:\n      cmd: echo ${item}\n"),
      "failed to resolve 'stages.f.foreach' in 'dvc.yaml': expected list/dictionary, got str",
    );
    const files = { "params.yaml": "foo: bar\nn: 3\ndct:\n  model1: a-out\nlst: [foo, bar]\n" };
    for (const data of ["${foo}", "${dct.model1}", "${lst.0}", "foobar"]) {
      assert.equal(
        resolveError(`stages:\n  build:\n    foreach: ${data}\n    do:\n      cmd: echo\n`, { files }),
        "failed to resolve 'stages.build.foreach' in 'dvc.yaml': expected list/dictionary, got str",
      );
    }
    assert.equal(
      resolveError("stages:\n  build:\n    foreach: ${n}\n    do:\n      cmd: echo\n", { files }),
      "failed to resolve 'stages.build.foreach' in 'dvc.yaml': expected list/dictionary, got int",
    );
    assert.equal(
      resolveError("stages:\n  build:\n    foreach: ${modelss.123}\n    do:\n      cmd: echo\n", { files }),
      "failed to parse 'stages.build.foreach' in 'dvc.yaml': Could not find 'modelss.123'",
    );
    assert.equal(
      resolveError("stages:\n  build:\n    foreach: ${syntax.[error}\n    do:\n      cmd: echo\n", { files }),
      "failed to parse 'stages.build.foreach' in 'dvc.yaml':\n${syntax.[error}\n        ^\nParseException: Expected end of text, found '.'  (at char 8), (line:1, col:9)",
    );
  });

  it("reports template syntax errors with the group name, missing keys with the member name", () => {
    assert.equal(
      resolveError("stages:\n  build:\n    foreach: [foo, bar]\n    do:\n      cmd: echo ${syntax.[error}\n"),
      "failed to parse 'stages.build.cmd' in 'dvc.yaml':\n${syntax.[error}\n        ^\nParseException: Expected end of text, found '.'  (at char 8), (line:1, col:9)",
    );
    assert.equal(
      resolveError("stages:\n  build:\n    foreach:\n    - thresh: '10'\n    - {}\n    do:\n      cmd: ${item.thresh}\n"),
      "failed to parse 'stages.build@1.cmd' in 'dvc.yaml': Could not find 'item.thresh'",
    );
    assert.equal(
      resolveError("stages:\n  build:\n    foreach: [a]\n    do:\n      cmd: ${item[missing]}\n"),
      "failed to parse 'stages.build@a.cmd' in 'dvc.yaml': Could not find 'item[missing]'",
    );
    assert.equal(
      resolveError("stages:\n  build:\n    foreach: ${models}\n    do:\n      wdir: ${ite}\n      cmd: echo ${item}\n", { files: { "params.yaml": "models: [foo, bar]\n" } }),
      "failed to parse 'stages.build@foo.wdir' in 'dvc.yaml': Could not find 'ite'",
    );
  });

  it("refuses item/key in member stage vars (err-vars-redefine)", () => {
    assert.equal(
      resolveError("stages:\n  f:\n    foreach: [a, b]\n    do:\n      vars:\n      - item: x\n      cmd: echo ${item}\n"),
      "failed to parse stage 'f@a' in 'dvc.yaml': attempted to modify reserved key item",
    );
    assert.equal(
      resolveError("stages:\n  f:\n    foreach: {m: 1}\n    do:\n      vars:\n      - key: 5\n        item: 5\n      cmd: echo\n"),
      "failed to parse stage 'f@m' in 'dvc.yaml': attempted to modify reserved keys item and key",
    );
    assert.equal(
      resolveError("stages:\n  f:\n    foreach: {m: 1}\n    do:\n      vars:\n      - test_params.yaml\n      cmd: echo\n", { files: { "test_params.yaml": "item:\n  epochs: 10\n" } }),
      "failed to parse stage 'f@m' in 'dvc.yaml': attempted to modify reserved key item in 'test_params.yaml'",
    );
    assert.equal(
      resolveError("stages:\n  m:\n    matrix:\n      a: [1]\n    vars:\n    - item: 1\n      key: 2\n    cmd: echo\n"),
      "failed to parse stage 'm@1' in 'dvc.yaml': attempted to modify reserved keys key and item",
    );
    // a regular stage may define item/key
    assert.equal(cmdOf(resolve("stages:\n  s:\n    vars:\n    - item: x\n    cmd: echo ${item}\n"), "s"), "echo x");
  });

  it("warns when the global context has item/key, then overwrites them temporarily", () => {
    const r = resolve(
      "vars:\n- item: 10\n  key: 10\nstages:\n  build:\n    foreach: {m1: 1, m2: 2}\n    do:\n      cmd: echo ${key} ${item}\n  lst:\n    foreach: [a]\n    do:\n      cmd: echo ${item} ${key}\n  mx:\n    matrix:\n      x: [1]\n    cmd: echo ${key}\n  after:\n    cmd: echo ${item}\n",
    );
    assert.deepEqual(r.warnings, [
      "item and key are already specified, will be overwritten for stages generated from 'build'",
      "item is already specified, will be overwritten for stages generated from 'lst'",
      "key and item are already specified, will be overwritten for stages generated from 'mx'",
    ]);
    assert.equal(cmdOf(r, "build@m2"), "echo m2 2");
    assert.equal(cmdOf(r, "lst@a"), "echo a 10");
    assert.equal(cmdOf(r, "after"), "echo 10");
    const r2 = resolve("vars:\n- key: 5\nstages:\n  b:\n    foreach: [a]\n    do:\n      cmd: echo\n");
    assert.deepEqual(r2.warnings, []);
    const r3 = resolve("vars:\n- key: 5\nstages:\n  b:\n    foreach: {a: 1}\n    do:\n      cmd: echo\n");
    assert.deepEqual(r3.warnings, ["key is already specified, will be overwritten for stages generated from 'b'"]);
  });

  it("expands a matrix in declared order, last dimension fastest (spec example)", () => {
    const r = resolve(
      "stages:\n  build:\n    matrix:\n      os: [win, linux]\n      pyv: [3.7, 3.8]\n      cfg: [{a: 1}, {b: 2}]\n    cmd: echo ${key} ${item.os} ${item.pyv}\n",
    );
    assert.deepEqual(names(r), [
      "build@win-3.7-cfg0",
      "build@win-3.7-cfg1",
      "build@win-3.8-cfg0",
      "build@win-3.8-cfg1",
      "build@linux-3.7-cfg0",
      "build@linux-3.7-cfg1",
      "build@linux-3.8-cfg0",
      "build@linux-3.8-cfg1",
    ]);
    assert.equal(cmdOf(r, "build@linux-3.8-cfg1"), "echo linux-3.8-cfg1 linux 3.8");
    assert.equal(jsonDumps(r.stages[0].def), '{"cmd": "echo win-3.7-cfg0 win 3.7"}');
  });

  it("matches the yaml-matrix transcript", () => {
    const r = resolve("stages:\n  mx:\n    matrix:\n      os: [linux, win]\n      py: [3.8, 3.10]\n      cfg:\n      - {a: 1}\n      - {a: 2}\n    cmd: echo ${key} ${item.os} ${item.py} ${item.cfg.a}\n");
    assert.equal(names(r)[2], "mx@linux-3.1-cfg0");
    assert.equal(cmdOf(r, "mx@win-3.1-cfg1"), "echo win-3.1-cfg1 win 3.1 2");
  });

  it("takes matrix dimensions from params, bools and strings included", () => {
    const files = { "params.yaml": "oses: [linux, mac]\nflags: [true]\ncfgs:\n- {a: 1}\n" };
    const r = resolve("stages:\n  m:\n    matrix:\n      os: ${oses}\n      f: ${flags}\n      lit: [true]\n      c: ${cfgs}\n      s: ab\n    cmd: echo ${item.c.a} ${item.f}\n", { files });
    assert.deepEqual(names(r), ["m@linux-True-true-c0-a", "m@linux-True-true-c0-b", "m@mac-True-true-c0-a", "m@mac-True-true-c0-b"]);
    assert.equal(trackedJson(r, "m@mac-True-true-c0-b"), '{"params.yaml": {"cfgs.0.a": 1, "flags.0": true}}');
    assert.equal(resolve("stages:\n  m:\n    matrix:\n      a: []\n    cmd: echo\n").stages.length, 0);
  });

  it("resolves single members lazily and reports unknown names", () => {
    const dir = tmpRepo({ "params.yaml": "x: 1\n" });
    const resolver = new PipelineResolver(doc("stages:\n  a:\n    cmd: echo ${x}\n  g:\n    foreach: [p, q]\n    do:\n      cmd: echo ${item}\n  bad:\n    cmd: ${nope}\n"), {
      file: path.join(dir, "dvc.yaml"),
      relpath: "dvc.yaml",
    });
    assert.deepEqual(resolver.getKeys(), ["a", "g@p", "g@q", "bad"]);
    assert.equal(resolver.hasKey("g@q"), true);
    assert.equal(resolver.hasKey("g"), false);
    assert.equal(resolver.hasKey("a@x"), false);
    assert.equal(resolver.resolveOne("g@q").def.get("cmd"), "echo q");
    assert.equal(resolver.resolveOne("g@q").group, "g");
    assert.equal(errorOf(() => resolver.resolveOne("g@zz"), EntryNotFoundError), "Could not find 'g@zz'");
    assert.equal(errorOf(() => resolver.resolveOne("bad")), "failed to parse 'stages.bad.cmd' in 'dvc.yaml': Could not find 'nope'");
    // a plain stage whose name contains @ cannot be addressed
    assert.equal(errorOf(() => resolve("stages:\n  a@b:\n    cmd: echo\n"), EntryNotFoundError), "Could not find 'a@b'");
  });
});

describe("compat transcripts", () => {
  it("yaml-vars-inline", () => {
    const r = resolve("vars:\n- greeting: hi\n  nested:\n    x: 1\n- other: 2\nstages:\n  s:\n    vars:\n    - local: here\n    cmd: echo ${greeting} ${nested.x} ${other} ${name} ${local}\n", {
      files: { "params.yaml": "name: from-params\n" },
    });
    assert.equal(cmdOf(r, "s"), "echo hi 1 2 from-params here");
  });

  it("yaml-params-keys", () => {
    const r = resolve("stages:\n  train:\n    cmd: echo seed=${seed} lr=${train.lr} epochs=${train.epochs} opt=${train.opt.name} > run.txt\n    params:\n    - seed\n    - train.lr\n    - train.opt\n", {
      files: { "params.yaml": "seed: 42\ntrain:\n  lr: 0.01\n  epochs: 3\n  opt:\n    name: adam\n    beta: 0.9\n" },
    });
    assert.equal(cmdOf(r, "train"), "echo seed=42 lr=0.01 epochs=3 opt=adam > run.txt");
    assert.equal(jsonDumps(r.stages[0].def.get("params")!), '["seed", "train.lr", "train.opt"]');
  });

  it("params-toml-file", () => {
    const r = resolve("vars:\n- cfg.toml\nstages:\n  s:\n    cmd: echo ${title} ${train.lr} > out.txt\n", {
      files: { "cfg.toml": 'title = "demo"\n[train]\nlr = 0.5\nsteps = 10\n' },
    });
    assert.equal(cmdOf(r, "s"), "echo demo 0.5 > out.txt");
    assert.equal(trackedJson(r, "s"), '{"cfg.toml": {"title": "demo", "train.lr": 0.5}}');
  });

  it("err-vars-redefine", () => {
    assert.equal(
      resolveError("vars:\n- lr: 0.2\nstages:\n  s:\n    cmd: echo ${lr}\n", { files: { "params.yaml": "lr: 0.1\n" } }),
      "failed to parse 'vars' in 'dvc.yaml':\ncannot redefine 'lr' from 'vars[0]' as it already exists in 'params.yaml'",
    );
  });

  it("yaml-empty-file", () => {
    assert.equal(resolve("").stages.length, 0);
  });
});

describe("robustness", () => {
  it("throws only DvcException on deep or odd input, and does not hang", () => {
    let deep: YMap | YSeq = new YSeq(["${x}"]);
    for (let i = 0; i < 5000; i++) deep = new YSeq([deep]);
    const d = new YMap([["stages", new YMap([["s", new YMap([["cmd", "echo"], ["meta", deep]])]])]]);
    assert.throws(
      () => resolvePipeline(d, { file: path.join(tmpRepo(), "dvc.yaml"), relpath: "dvc.yaml" }),
      (e: unknown) => e instanceof DvcException,
    );
    // a self-referencing structure
    const loop = new YSeq(["a"]);
    loop.push(loop);
    const d2 = new YMap([["stages", new YMap([["s", new YMap([["cmd", "echo"], ["deps", loop]])]])]]);
    assert.throws(
      () => resolvePipeline(d2, { file: path.join(tmpRepo(), "dvc.yaml"), relpath: "dvc.yaml" }),
      (e: unknown) => e instanceof DvcException,
    );
    // a deeply nested params file
    const nested = "a: " + "[".repeat(3000) + "]".repeat(3000) + "\n";
    assert.throws(
      () => resolve("stages:\n  s:\n    cmd: ${a}\n", { files: { "params.yaml": nested } }),
      (e: unknown) => e instanceof DvcException,
    );
    // a matrix too large to expand
    const dims = Array.from({ length: 8 }, (_, i) => `      d${i}: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n`).join("");
    assert.throws(
      () => resolve(`stages:\n  m:\n    matrix:\n${dims}    cmd: echo\n`),
      (e: unknown) => e instanceof ResolveError,
    );
  });

  it("survives random documents", () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const atoms = ["${a}", "${a.b}", "${l}", "${d}", "${", "}", "\\${a}", "x", "${item}", "${key}", "${a[0]}", "${ }", "${.}", "@", ":", ","];
    const str = () => Array.from({ length: 1 + rand(4) }, () => atoms[rand(atoms.length)]).join("");
    const value = (depth: number): YMap | YSeq | string | bigint | boolean | null => {
      const k = rand(depth > 3 ? 4 : 7);
      if (k === 0) return str();
      if (k === 1) return BigInt(rand(5));
      if (k === 2) return rand(2) === 0;
      if (k === 3) return null;
      if (k === 4) return new YSeq(Array.from({ length: rand(4) }, () => value(depth + 1)));
      const m = new YMap();
      for (let i = rand(4); i > 0; i--) m.set(rand(3) ? ["cmd", "foreach", "do", "matrix", "vars", "wdir", "outs"][rand(7)] : str(), value(depth + 1));
      return m;
    };
    const dir = tmpRepo({ "params.yaml": "a:\n  b: 1\nl: [1, 2]\nd:\n  x: 1\n", "v.yaml": "z: 1\n" });
    for (let i = 0; i < 400; i++) {
      const stages = new YMap();
      for (let j = rand(4); j > 0; j--) stages.set(str(), value(0));
      const d = new YMap([["stages", stages]]);
      if (rand(3) === 0) d.set("vars", new YSeq([rand(2) ? "v.yaml" : str(), value(1)]));
      for (const sec of ["metrics", "params", "plots", "artifacts"]) if (rand(4) === 0) d.set(sec, value(1));
      try {
        const r = resolvePipeline(d, { file: path.join(dir, "dvc.yaml"), relpath: "dvc.yaml" });
        r.metrics();
        r.params();
        r.plots();
        r.artifacts();
      } catch (e) {
        assert.ok(e instanceof DvcException, `iteration ${i}: ${(e as Error)?.stack}`);
      }
    }
  });
});
