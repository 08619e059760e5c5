// Unit tests of the YAML layer (src/yaml): the emitter against bytes DVC 3.64 wrote, the
// loader's typing and comment keeping, apply_diff, and DVC's report for invalid YAML.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dumpYaml, resolvePlain } from "../src/yaml/emit.js";
import { YamlParseError, formatYamlError, loadYaml } from "../src/yaml/load.js";
import { applyDiff } from "../src/yaml/merge.js";
import { YBlockStr, YMap, YSeq, fromPy, pyEqual, pyValueEqual, toPy, type YValue } from "../src/yaml/model.js";
import type { PyValue } from "../src/util/py.js";

// Reference bytes: DVC 3.64 transcripts (shared/compat/expected) and ruamel.yaml output.
const FX = {
  longLock: "schema: '2.0'\nstages:\n  long_path:\n    cmd: cat \n      aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccccccccccccc/file.txt\n      > \n      out_with_a_long_name_to_push_the_line_beyond_eighty_columns_xxxxxxxxxxxxxxxxxxxxxxxx.txt\n    deps:\n    - path: \n        aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccccccccccccc/file.txt\n      hash: md5\n      md5: 401b30e3b8b5d629635a5c613cdb7919\n      size: 2\n    outs:\n    - path: \n        out_with_a_long_name_to_push_the_line_beyond_eighty_columns_xxxxxxxxxxxxxxxxxxxxxxxx.txt\n      hash: md5\n      md5: 401b30e3b8b5d629635a5c613cdb7919\n      size: 2\n  words:\n    cmd: echo one two three four five six seven eight nine ten eleven twelve \n      thirteen fourteen fifteen > words.txt\n    outs:\n    - path: words.txt\n      hash: md5\n      md5: 35b3ee19c7fc3542521e67e172fa9073\n      size: 89\n  exactly80:\n    cmd: echo 1234567890 1234567890 1234567890 1234567890 1234567890 123456789 \n      ab cd > e80.txt\n    outs:\n    - path: e80.txt\n      hash: md5\n      md5: 67baa420c4da3173f0df542d3b368451\n      size: 71\n  quoted:\n    cmd: echo 'it''s a quoted command that is long enough to need folding at \n      eighty col' > q.txt\n    outs:\n    - path: q.txt\n      hash: md5\n      md5: 2fa1897b5498fa55b764e3c9d944beda\n      size: 71\n",
  longDvcYaml: "stages:\n  long_path:\n    cmd: cat \n      aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccccccccccccc/file.txt\n      > \n      out_with_a_long_name_to_push_the_line_beyond_eighty_columns_xxxxxxxxxxxxxxxxxxxxxxxx.txt\n    deps:\n    - aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccccccccccccc/file.txt\n    outs:\n    - out_with_a_long_name_to_push_the_line_beyond_eighty_columns_xxxxxxxxxxxxxxxxxxxxxxxx.txt\n  words:\n    cmd: echo one two three four five six seven eight nine ten eleven twelve \n      thirteen fourteen fifteen > words.txt\n    outs:\n    - words.txt\n  exactly80:\n    cmd: echo 1234567890 1234567890 1234567890 1234567890 1234567890 123456789 \n      ab cd > e80.txt\n    outs:\n    - e80.txt\n  quoted:\n    cmd: echo 'it''s a quoted command that is long enough to need folding at \n      eighty col' > q.txt\n    outs:\n    - q.txt\n  added:\n    cmd: echo a long command given to stage add on the command line > \n      added_output_with_quite_a_long_name.txt\n    outs:\n    - added_output_with_quite_a_long_name.txt\n",
  longDvcFile: "outs:\n- md5: 401b30e3b8b5d629635a5c613cdb7919\n  size: 2\n  hash: md5\n  path: file.txt\n",
  paramsLock: "schema: '2.0'\nstages:\n  s:\n    cmd: echo ok > ok.txt\n    params:\n      params.yaml:\n        big: 12345678901234567890\n        code: '007'\n        flag: yes\n        list:\n        - 1\n        - two\n        - 3.5\n        lr: 0.001\n        nested:\n          b: 2\n          a: 1\n        nothing:\n        one: 1.0\n        tiny: 1e-05\n        truth: true\n        version: '1.10'\n    outs:\n    - path: ok.txt\n      hash: md5\n      md5: eff5bc1ef8ec9d03e640fc4370f5eacd\n      size: 3\n",
  stageAddBasic: "stages:\n  train:\n    cmd: python train.py\n    deps:\n    - data.csv\n    - train.py\n    params:\n    - lr\n    - seed\n    - cfg.json:\n    outs:\n    - model.pkl\n    metrics:\n    - metrics.json:\n        cache: false\n",
  stageAddFlags: "stages:\n  all:\n    desc: every flag\n    cmd: echo done\n    wdir: sub\n    params:\n    - p.yaml:\n      - a\n      - b\n    outs:\n    - nocache.txt:\n        cache: false\n    - out.txt\n    - persist.txt:\n        persist: true\n    - pnc.txt:\n        cache: false\n        persist: true\n    metrics:\n    - m.json\n    - mnc.json:\n        cache: false\n    plots:\n    - p.csv\n    - pnc.csv:\n        cache: false\n    always_changed: true\n",
  stageAddWords: "stages:\n  one:\n    cmd: echo hello world\n  two:\n    cmd: echo \"a b\" c\n  three:\n    cmd: echo \"quoted\" and spaced\n  four:\n    cmd: echo \"\" end\n  five:\n    cmd: -- echo -n dashed\n",
  stageAddForce: "# pipeline comment\nstages:\n  s:\n    desc: keep me\n    cmd: echo b # inline comment\n    outs:\n    - b.txt\n",
  cmdListLock: "schema: '2.0'\nstages:\n  multi:\n    cmd:\n    - echo one > out.txt\n    - echo two >> out.txt\n    - cat out.txt\n    outs:\n    - path: out.txt\n      hash: md5\n      md5: 2094b601daac3d68f5aed51d3c20f7cd\n      size: 8\n",
  multilineLock: "schema: '2.0'\nstages:\n  literal:\n    cmd: \"cd sub\\nbasename \\\"$(pwd)\\\" > where.txt\\necho second line\\n\"\n    outs:\n    - path: where.txt\n      hash: md5\n      md5: 7e2a67bdf8682f824134cbd991b18093\n      size: 5\n  folded:\n    cmd: \"echo folded into one\\n\"\n    deps:\n    - path: where.txt\n      hash: md5\n      md5: 7e2a67bdf8682f824134cbd991b18093\n      size: 5\n",
  errSyntax: "'./dvc.yaml' is invalid.\n\nWhile parsing a block mapping, in line 3, column 5\n  3 │   cmd: echo [unclosed                                                     \n\nDid not find expected key, in line 6, column 6\n  6 │    - b                                                                    \n",
  commentsSrc: "\n# leading blank above\na: 1   # eol a\nb:     # eol b\n  c: 2\n  # before d\n\n  d:\n  - x   # eol x\n  # before y\n  - y\n  -   # eol null item\n  - k: v  # eol k\n    j: w\n  -\n    # comment inside\n    m: n\ne: [1, 2]  # flow eol\nf: {a: 1}\ng:   # eol on null\n\n\n# end comment 1\n   # end comment 2\n\n",
  commentsOut: "# leading blank above\na: 1   # eol a\nb:     # eol b\n  c: 2\n  # before d\n\n  d:\n  - x   # eol x\n  # before y\n  - y\n  - \n      # eol null item\n  - k: v  # eol k\n    j: w\n    # comment inside\n  - m: n\ne: [1, 2]  # flow eol\nf: {a: 1}\ng:   # eol on null\n\n\n# end comment 1\n   # end comment 2\n\n",
  a1Dest: "# top comment\ndesc: top desc\nouts:\n# before first out\n- path: foo # comment for foo\n  desc: out desc\n  type: mytype\n  labels:\n  - label1\n  - label2\n  remote: testremote\n  meta:\n    key1: value1\n    key2: value2\n  # after meta\nmeta: some metadata\ncmd: |\n  echo a\nlst:\n# first\n- a   # ca\n- b\n",
  a1Src: "desc: top desc\nouts:\n- path: foo\n  desc: out desc\n  type: mytype\n  labels: [label1, label2]\n  remote: testremote\n  meta: {key1: value1, key2: value2}\n  md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\nmeta: some metadata\ncmd: \"echo b\\necho c\\n\"\nlst: [x, y, z]\n",
  a1Out: "# top comment\ndesc: top desc\nouts:\n# before first out\n- path: foo # comment for foo\n  desc: out desc\n  type: mytype\n  labels:\n  - label1\n  - label2\n  remote: testremote\n  meta:\n    key1: value1\n    key2: value2\n  # after meta\n  md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\nmeta: some metadata\ncmd: |\n  echo b\n  echo c\nlst:\n- x\n- y\n- z\n",
  a2Dest: "# pipeline comment\nstages:\n  s:\n    desc: keep me\n    cmd: echo a # inline comment\n    outs:\n    - a.txt\n\n  # about t\n  t:\n    cmd: >\n      folded\n      text\n    deps:\n    - x   # dep x\n    - y\n    # after deps\n  u:\n    cmd: |\n      echo 1\n    params:\n    - a\n    - b: [1, 2]\n",
  a2Src: "stages:\n  s:\n    desc: keep me\n    cmd: echo b\n    outs:\n    - b.txt\n  t:\n    cmd: \"other text\\n\"\n    deps:\n    - x\n    - z\n    outs:\n    - o\n  u:\n    cmd: \"echo 2\\n\"\n    params:\n    - a\n    - b: [1, 2, 3]\n  new:\n    cmd: run\n",
  a2Out: "# pipeline comment\nstages:\n  s:\n    desc: keep me\n    cmd: echo b # inline comment\n    outs:\n    - b.txt\n\n  # about t\n  t:\n    cmd: >\n      other text\n    deps:\n    - x   # dep x\n    - z\n    # after deps\n    outs:\n    - o\n  u:\n    cmd: |\n      echo 2\n    params:\n    - a\n    - b: [1, 2, 3]\n  new:\n    cmd: run\n",
  a3Dest: "a: 1\n# c6\nb: 2\nc:\n  # c1\n  x: 1\n  y: 2.0\nd:\n# c2\n- 1\n- 2\ne:\n  f:\n    g: 1\n# c8 end\n",
  a3Src: "b: 2\nc: {z: 9, y: 2}\nd: [7, 2]\ne: {f: 5}\nh: true\n",
  a3Out: "b: 2\nc:\n  # c1\n  y: 2.0\n  z: 9\nd:\n# c2\n- 7\n- 2\ne:\n  f: 5\nh: true\n",
} as const;

/** [YAML text, DVC's report for it] computed with ruamel.yaml + ruamel.yaml.clib (libyaml) and rich. */
const ERRORS: Record<string, [string, string]> = {
  dup: ["stages:\n  a:\n    cmd: x\n  a:\n    cmd: y\n", "'./dvc.yaml' is invalid.\n\nWhile constructing a mapping, in line 2, column 3\n  2   a:                                                                        \n\nFound duplicate key \"a\" with value \"{}\" (original value: \"{}\"), in line 4, \ncolumn 3\n  4   a:                                                                        \n"],
  dupWrap: ["a: 1\na: 2\n", "'./dvc.yaml' is invalid.\n\nWhile constructing a mapping, in line 1, column 1\n  1 a: 1                                                                        \n\nFound duplicate key \"a\" with value \"2\" (original value: \"1\"), in line 2, column \n1\n  2 a: 2                                                                        \n"],
  dupBlock: ["s:\n  cmd: |\n    x\n  cmd: |\n    python eval.py\n    echo \"done\"\n", "'./dvc.yaml' is invalid.\n\nWhile constructing a mapping, in line 2, column 3\n  2   cmd: |                                                                    \n\nFound duplicate key \"cmd\" with value \"python eval.py\necho \"done\"\n\" (original value: \"x\n\"), in line 4, column 3\n  4   cmd: |                                                                    \n"],
  flowSeq: ["a: 1\nb: [1, 2\nc: 3\n", "'./dvc.yaml' is invalid.\n\nWhile parsing a flow sequence, in line 2, column 4\n  2 b: [1, 2                                                                    \n\nDid not find expected ',' or ']', in line 3, column 2\n  3 c: 3                                                                        \n"],
  quotedEof: ["a: \"abc\n", "'./dvc.yaml' is invalid.\n\nWhile scanning a quoted scalar, in line 1, column 4\n  1 a: \"abc                                                                     \n\nFound unexpected end of stream, in line 2, column 1\n  2                                                                             \n"],
  mappingValues: ["a: b: c\n", "'./dvc.yaml' is invalid.\n\nMapping values are not allowed in this context, in line 1, column 5\n  1 a: b: c                                                                     \n"],
  tab: ["a:\n\t- b\n", "'./dvc.yaml' is invalid.\n\nWhile scanning for the next token, in line 2, column 1\nFound character that cannot start any token, in line 2, column 1\n  2 │   - b                                                                     \n"],
  conflict: ["a: 1\n<<<<<<< HEAD\nb: 2\n", "'./dvc.yaml' is invalid (possible merge conflicts).\n\nWhile scanning a simple key, in line 2, column 1\n  2 <<<<<<< HEAD                                                                \n\nCould not find expected ':', in line 3, column 1\n  3 b: 2                                                                        \n"],
  blockSeq: ["a:\n  - b\n  c: 1\n", "'./dvc.yaml' is invalid.\n\nWhile parsing a block collection, in line 2, column 3\n  2   - b                                                                       \n\nDid not find expected '-' indicator, in line 3, column 3\n  3   c: 1                                                                      \n"],
  undefinedAlias: ["a: *x\n", "'./dvc.yaml' is invalid.\n\nFound undefined alias, in line 1, column 4\n  1 a: *x                                                                       \n"],
  twoDocs: ["--- 1\n--- 2\n", "'./dvc.yaml' is invalid.\n\nExpected a single document in the stream, in line 1, column 5\n  1 --- 1                                                                       \n\nBut found another document, in line 2, column 1\n  2 --- 2                                                                       \n"],
  badEscape: ["a: \"\\q\"\n", "'./dvc.yaml' is invalid.\n\nWhile parsing a quoted scalar, in line 1, column 4\n  1 a: \"\\q\"                                                                     \n\nFound unknown escape character, in line 1, column 5\n  1 a: \"\\q\"                                                                     \n"],
  longSnippet: ["stages:\n  s:\n    cmd: echo word word word word word word word word word word word word word word word word word word word word b: c\n", "'./dvc.yaml' is invalid.\n\nMapping values are not allowed in this context, in line 3, column 116\n  3 │   cmd: echo word word word word word word word word word word word word   \n    word word word word word word word word b: c                                \n"],
  longWord: ["a: x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/ yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy: c\n", "'./dvc.yaml' is invalid.\n\nMapping values are not allowed in this context, in line 1, column 155\n  1 a: x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/             \n    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n    yyyyyyyyyyyyyy: c                                                           \n"],
};

/** A mapping from entries (keeps order, unlike building from a plain object with number-like keys). */
function m(...entries: [string, PyValue][]): Map<string, PyValue> {
  return new Map(entries);
}

function dump(v: PyValue): string {
  return dumpYaml(fromPy(v));
}

/** The line `k: <value>` as DVC writes it. */
function line(v: PyValue): string {
  return dump(m(["k", v]));
}

function parseError(text: string): YamlParseError {
  try {
    loadYaml(text);
  } catch (e) {
    if (e instanceof YamlParseError) return e;
    throw e;
  }
  assert.fail(`expected a YAML error for ${JSON.stringify(text)}`);
}

describe("scalar style (ruamel analyze_scalar / choose_scalar_style, YAML 1.2 resolver)", () => {
  const cases: [string, string][] = [
    ["abc", "k: abc\n"],
    ["", "k: ''\n"],
    // YAML 1.2 non-strings are quoted
    ["true", "k: 'true'\n"],
    ["True", "k: 'True'\n"],
    ["FALSE", "k: 'FALSE'\n"],
    ["null", "k: 'null'\n"],
    ["Null", "k: 'Null'\n"],
    ["~", "k: '~'\n"],
    ["1", "k: '1'\n"],
    ["-1", "k: '-1'\n"],
    ["+1", "k: '+1'\n"],
    ["007", "k: '007'\n"],
    ["0x1F", "k: '0x1F'\n"],
    ["0o17", "k: '0o17'\n"],
    ["0b101", "k: '0b101'\n"],
    ["1_000", "k: '1_000'\n"],
    ["1.0", "k: '1.0'\n"],
    ["1.10", "k: '1.10'\n"],
    ["1.", "k: '1.'\n"],
    [".5", "k: '.5'\n"],
    ["1e5", "k: '1e5'\n"],
    ["1e-05", "k: '1e-05'\n"],
    [".inf", "k: '.inf'\n"],
    ["-.Inf", "k: '-.Inf'\n"],
    [".nan", "k: '.nan'\n"],
    ["2024-01-01", "k: '2024-01-01'\n"],
    ["<<", "k: '<<'\n"],
    ["=", "k: '='\n"],
    // md5 values that read as numbers
    ["12345678901234567890123456789012", "k: '12345678901234567890123456789012'\n"],
    ["1234e5678", "k: '1234e5678'\n"],
    ["0e123456789012345678901234567890", "k: '0e123456789012345678901234567890'\n"],
    ["acc608e915526213240aeb8de922d86e", "k: acc608e915526213240aeb8de922d86e\n"],
    ["401b30e3b8b5d629635a5c613cdb7919", "k: 401b30e3b8b5d629635a5c613cdb7919\n"],
    // YAML 1.1 words stay plain
    ["yes", "k: yes\n"],
    ["no", "k: no\n"],
    ["on", "k: on\n"],
    ["off", "k: off\n"],
    ["y", "k: y\n"],
    ["1:20", "k: 1:20\n"],
    ["nan", "k: nan\n"],
    ["inf", "k: inf\n"],
    // indicators
    [" a", "k: ' a'\n"],
    ["a ", "k: 'a '\n"],
    ["#a", "k: '#a'\n"],
    ["a #b", "k: 'a #b'\n"],
    ["a#b", "k: a#b\n"],
    ["- a", "k: '- a'\n"],
    ["-", "k: '-'\n"],
    ["-a", "k: -a\n"],
    ["? a", "k: '? a'\n"],
    ["?a", "k: ?a\n"],
    [": a", "k: ': a'\n"],
    [":a", "k: :a\n"],
    ["a: b", "k: 'a: b'\n"],
    ["a:", "k: 'a:'\n"],
    ["a:b", "k: a:b\n"],
    ["---x", "k: '---x'\n"],
    ["...x", "k: '...x'\n"],
    ["a,b", "k: a,b\n"],
    ["a[1]", "k: a[1]\n"],
    ["a{b}", "k: a{b}\n"],
    ["[a", "k: '[a'\n"],
    ["]a", "k: ']a'\n"],
    ["{a", "k: '{a'\n"],
    [",a", "k: ',a'\n"],
    ["*a", "k: '*a'\n"],
    ["&a", "k: '&a'\n"],
    ["!a", "k: '!a'\n"],
    ["|a", "k: '|a'\n"],
    [">a", "k: '>a'\n"],
    ["%a", "k: '%a'\n"],
    ["@a", "k: '@a'\n"],
    ["`a", "k: '`a'\n"],
    ["#a*b?.txt", "k: '#a*b?.txt'\n"],
    // quotes and line breaks: double quotes (ruamel), escapes
    ["it's", "k: it's\n"],
    ["'q'", "k: \"'q'\"\n"],
    ['"q"', "k: '\"q\"'\n"],
    ["a\nb", 'k: "a\\nb"\n'],
    ["cmd\n", 'k: "cmd\\n"\n'],
    ["tab\there", 'k: "tab\\there"\n'],
    ["bell\x07", 'k: "bell\\a"\n'],
    ["nul\0", 'k: "nul\\0"\n'],
    ["\x1b[0m", 'k: "\\e[0m"\n'],
    ["\x7f", 'k: "\\x7F"\n'],
    ["bom\ufeff", 'k: "bom\\uFEFF"\n'],
    ["nbsp\u00a0x", "k: nbsp\u00a0x\n"],
    // unicode is written as is
    ["ü.txt", "k: ü.txt\n"],
    ["ｆ.txt", "k: ｆ.txt\n"],
    ["😀.txt", "k: 😀.txt\n"],
    ["😀\n", 'k: "\\U0001F600\\n"\n'],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} -> ${JSON.stringify(expected)}`, () => {
      assert.equal(line(value), expected);
    });
  }

  it("resolves plain scalars like ruamel's YAML 1.2 resolver", () => {
    assert.equal(resolvePlain("yes"), "str");
    assert.equal(resolvePlain("true"), "bool");
    assert.equal(resolvePlain("~"), "null");
    assert.equal(resolvePlain(""), "null");
    assert.equal(resolvePlain("0777"), "int");
    assert.equal(resolvePlain("6.02e23"), "float");
    assert.equal(resolvePlain(".5e3"), "str"); // exponent sign required in this form
    assert.equal(resolvePlain(".5e+3"), "float");
    assert.equal(resolvePlain("2001-12-14t21:59:43.10-05:00"), "timestamp");
  });
});

describe("numbers, booleans, null, empty containers", () => {
  it("writes floats with Python repr, lowercased", () => {
    assert.equal(line(1e-5), "k: 1e-05\n");
    assert.equal(line(1e16), "k: 1e+16\n");
    assert.equal(line(1e20), "k: 1e+20\n");
    assert.equal(line(1.0), "k: 1.0\n");
    assert.equal(line(1e15), "k: 1000000000000000.0\n");
    assert.equal(line(0.0001), "k: 0.0001\n");
    assert.equal(line(0.001), "k: 0.001\n");
    assert.equal(line(3.5), "k: 3.5\n");
    assert.equal(line(-0), "k: -0.0\n");
    assert.equal(line(Infinity), "k: .inf\n");
    assert.equal(line(-Infinity), "k: -.inf\n");
    assert.equal(line(NaN), "k: .nan\n");
  });

  it("writes ints in full (bigint)", () => {
    assert.equal(line(2n ** 70n), "k: 1180591620717411303424\n");
    assert.equal(line(12345678901234567890n), "k: 12345678901234567890\n");
    assert.equal(line(-5n), "k: -5\n");
  });

  it("writes booleans as true/false", () => {
    assert.equal(dump(m(["a", true], ["b", false])), "a: true\nb: false\n");
  });

  it("writes null as nothing: `key:` without a space, `- ` with one", () => {
    assert.equal(dump(m(["a", null], ["b", [null, "x", null]])), "a:\nb:\n- \n- x\n- \n");
    assert.equal(dump([null]), "- \n");
  });

  it("writes empty containers in flow style", () => {
    assert.equal(dump(m(["a", new Map()], ["b", []], ["c", [[], new Map()]])), "a: {}\nb: []\nc:\n- []\n- {}\n");
    assert.equal(dump(new Map()), "{}\n");
    assert.equal(dump([]), "[]\n");
  });

  it("writes a document that is a plain scalar with an end marker", () => {
    assert.equal(dump("abc"), "abc\n...\n");
    assert.equal(dump(null), "null\n...\n");
  });
});

describe("layout", () => {
  it("writes the V9 .dvc files byte for byte", () => {
    const out = (extra: [string, PyValue][], path: string, md5: string, size: bigint) =>
      dump(m(["outs", [m(["md5", md5], ["size", size], ...extra, ["hash", "md5"], ["path", path])]]));
    assert.equal(
      out([], "data.csv", "b1946ac92492d2347c6235b4d2611184", 6n),
      "outs:\n- md5: b1946ac92492d2347c6235b4d2611184\n  size: 6\n  hash: md5\n  path: data.csv\n",
    );
    assert.equal(
      out([["isexec", true]], "run.sh", "b1946ac92492d2347c6235b4d2611184", 18n),
      "outs:\n- md5: b1946ac92492d2347c6235b4d2611184\n  size: 18\n  isexec: true\n  hash: md5\n  path: run.sh\n",
    );
    assert.match(out([], "#a*b?.txt", "b1946ac92492d2347c6235b4d2611184", 1n), /\n {2}path: '#a\*b\?\.txt'\n$/);
    const dir = dump(
      m(["outs", [m(["md5", "acc608e915526213240aeb8de922d86e.dir"], ["size", 7n], ["nfiles", 2n], ["hash", "md5"], ["path", "data"])]]),
    );
    assert.equal(dir, "outs:\n- md5: acc608e915526213240aeb8de922d86e.dir\n  size: 7\n  nfiles: 2\n  hash: md5\n  path: data\n");
  });

  it("does not indent sequences under their key, nests mappings in items", () => {
    const data = m(["stages", m(["train", m(["cmd", "python train.py"], ["deps", ["data.csv", "train.py"]], ["params", ["lr", "seed", m(["cfg.json", null])]], ["outs", ["model.pkl"]], ["metrics", [m(["metrics.json", m(["cache", false])])]])])]);
    assert.equal(dump(data), FX.stageAddBasic);
  });

  it("writes the stage-add-flags dvc.yaml", () => {
    const flag = (path: string, ...f: [string, PyValue][]) => m([path, m(...f)]);
    const data = m([
      "stages",
      m([
        "all",
        m(
          ["desc", "every flag"],
          ["cmd", "echo done"],
          ["wdir", "sub"],
          ["params", [m(["p.yaml", ["a", "b"]])]],
          ["outs", [flag("nocache.txt", ["cache", false]), "out.txt", flag("persist.txt", ["persist", true]), flag("pnc.txt", ["cache", false], ["persist", true])]],
          ["metrics", ["m.json", flag("mnc.json", ["cache", false])]],
          ["plots", ["p.csv", flag("pnc.csv", ["cache", false])]],
          ["always_changed", true],
        ),
      ]),
    ]);
    assert.equal(dump(data), FX.stageAddFlags);
  });

  it("writes commands with quotes and dashes plain", () => {
    const stages = m(
      ["one", m(["cmd", "echo hello world"])],
      ["two", m(["cmd", 'echo "a b" c'])],
      ["three", m(["cmd", 'echo "quoted" and spaced'])],
      ["four", m(["cmd", 'echo "" end'])],
      ["five", m(["cmd", "-- echo -n dashed"])],
    );
    assert.equal(dump(m(["stages", stages])), FX.stageAddWords);
  });

  it("writes a list cmd as a block sequence and a multi-line cmd double-quoted", () => {
    const out = m(["path", "out.txt"], ["hash", "md5"], ["md5", "2094b601daac3d68f5aed51d3c20f7cd"], ["size", 8n]);
    const lock = m(["schema", "2.0"], ["stages", m(["multi", m(["cmd", ["echo one > out.txt", "echo two >> out.txt", "cat out.txt"]], ["outs", [out]])])]);
    assert.equal(dump(lock), FX.cmdListLock);
    const where = m(["path", "where.txt"], ["hash", "md5"], ["md5", "7e2a67bdf8682f824134cbd991b18093"], ["size", 5n]);
    const lock2 = m(
      ["schema", "2.0"],
      [
        "stages",
        m(
          ["literal", m(["cmd", 'cd sub\nbasename "$(pwd)" > where.txt\necho second line\n'], ["outs", [where]])],
          ["folded", m(["cmd", "echo folded into one\n"], ["deps", [where]])],
        ),
      ],
    );
    assert.equal(dump(lock2), FX.multilineLock);
  });

  it("writes params values of every type (lock-params-types)", () => {
    const params = m(
      ["big", 12345678901234567890n],
      ["code", "007"],
      ["flag", "yes"],
      ["list", [1n, "two", 3.5]],
      ["lr", 0.001],
      ["nested", m(["b", 2n], ["a", 1n])],
      ["nothing", null],
      ["one", 1.0],
      ["tiny", 1e-5],
      ["truth", true],
      ["version", "1.10"],
    );
    const out = m(["path", "ok.txt"], ["hash", "md5"], ["md5", "eff5bc1ef8ec9d03e640fc4370f5eacd"], ["size", 3n]);
    const lock = m(["schema", "2.0"], ["stages", m(["s", m(["cmd", "echo ok > ok.txt"], ["params", m(["params.yaml", params])], ["outs", [out]])])]);
    assert.equal(dump(lock), FX.paramsLock);
  });

  it("writes a long key as `? key` (ruamel counts `!!str` in the 128 limit)", () => {
    const k122 = "k".repeat(122);
    const k123 = "k".repeat(123);
    // the value after a long simple key does not fit: it moves to the next line
    assert.equal(dump(m([k122, 1n], [k123, 1n])), `${k122}: \n  1\n? ${k123}\n: 1\n`);
    assert.equal(dump(m(["a", m([k123, m(["b", null])])])), `a:\n  ? ${k123}\n  : b:\n`);
  });
});

describe("80-column folding (ruamel >= 0.18.13)", () => {
  const d = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccccccccccccc/file.txt";
  const long = "out_with_a_long_name_to_push_the_line_beyond_eighty_columns_xxxxxxxxxxxxxxxxxxxxxxxx.txt";
  const cmds = {
    long_path: `cat ${d} > ${long}`,
    words: "echo one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen > words.txt",
    exactly80: "echo 1234567890 1234567890 1234567890 1234567890 1234567890 123456789 ab cd > e80.txt",
    quoted: "echo 'it''s a quoted command that is long enough to need folding at eighty col' > q.txt",
  };
  const entry = (path: string, md5: string, size: bigint) => m(["path", path], ["hash", "md5"], ["md5", md5], ["size", size]);

  it("folds dvc.lock exactly like the lock-long-lines transcript", () => {
    const x = "401b30e3b8b5d629635a5c613cdb7919";
    const lock = m(
      ["schema", "2.0"],
      [
        "stages",
        m(
          ["long_path", m(["cmd", cmds.long_path], ["deps", [entry(d, x, 2n)]], ["outs", [entry(long, x, 2n)]])],
          ["words", m(["cmd", cmds.words], ["outs", [entry("words.txt", "35b3ee19c7fc3542521e67e172fa9073", 89n)]])],
          ["exactly80", m(["cmd", cmds.exactly80], ["outs", [entry("e80.txt", "67baa420c4da3173f0df542d3b368451", 71n)]])],
          ["quoted", m(["cmd", cmds.quoted], ["outs", [entry("q.txt", "2fa1897b5498fa55b764e3c9d944beda", 71n)]])],
        ),
      ],
    );
    const out = dump(lock);
    assert.equal(out, FX.longLock);
    // the folded lines keep their trailing space
    assert.ok(out.includes("    cmd: cat \n"));
    assert.ok(out.includes("    - path: \n        aaaa"));
    assert.ok(out.includes("eleven twelve \n      thirteen"));
  });

  it("folds dvc.yaml: long list items are not moved, `key: ` values are", () => {
    const stage = (cmd: string, ...rest: [string, PyValue][]) => m(["cmd", cmd], ...rest);
    const data = m([
      "stages",
      m(
        ["long_path", stage(cmds.long_path, ["deps", [d]], ["outs", [long]])],
        ["words", stage(cmds.words, ["outs", ["words.txt"]])],
        ["exactly80", stage(cmds.exactly80, ["outs", ["e80.txt"]])],
        ["quoted", stage(cmds.quoted, ["outs", ["q.txt"]])],
        ["added", stage("echo a long command given to stage add on the command line > added_output_with_quite_a_long_name.txt", ["outs", ["added_output_with_quite_a_long_name.txt"]])],
      ),
    ]);
    assert.equal(dump(data), FX.longDvcYaml);
  });

  it("folds the run-cache entry at indent 0 once, before `that` (V10)", () => {
    const cmd = "cat prepared.csv data/a.txt > model.pkl && echo a very long command line that should wrap because it is longer than eighty characters > log.txt";
    assert.equal(
      dump(m(["cmd", cmd])),
      "cmd: cat prepared.csv data/a.txt > model.pkl && echo a very long command line \n  that should wrap because it is longer than eighty characters > log.txt\n",
    );
    // at indent 4 (dvc.lock) the same command breaks before `line` and before `log.txt`
    assert.equal(
      dump(m(["stages", m(["train", m(["cmd", cmd])])])),
      "stages:\n  train:\n    cmd: cat prepared.csv data/a.txt > model.pkl && echo a very long command \n      line that should wrap because it is longer than eighty characters > \n      log.txt\n",
    );
  });

  it("never breaks long words; a word ending at column 80 ends the line", () => {
    const word = "w".repeat(100);
    assert.equal(dump([word]), `- ${word}\n`);
    const at80 = "x".repeat(75); // `k: ` + 75 = column 78... plus `yy` = 80
    assert.equal(dump(m(["k", `${at80}yy z`])), `k: ${at80}yy\n  z\n`);
  });

  it("folds single-quoted and double-quoted scalars", () => {
    const words = "a ".repeat(45);
    assert.equal(dump(m(["k", `#${words}b`])), `k: '#${"a ".repeat(38)}a\n  ${"a ".repeat(6)}b'\n`);
    assert.equal(dump(m(["k", `'${words}b`])), `k: "'${"a ".repeat(38)}a\\\n  \\ ${"a ".repeat(6)}b"\n`);
    assert.equal(
      dump(m(["k", `${"a ".repeat(40)}\n${"b ".repeat(30)}`])),
      `k: "${"a ".repeat(38)}a\\\n  \\ a \\n${"b ".repeat(30)}"\n`,
    );
  });
});

describe("loading", () => {
  it("types scalars with the YAML 1.2 core schema", () => {
    const doc = loadYaml("a: 1\nb: 1.0\nc: yes\nd: 1e-05\ne: ~\nf: true\ng: '1'\nh: 0x10\ni: 2024-01-01\nj: .inf\nk: 12345678901234567890\n");
    assert.ok(doc instanceof YMap);
    assert.equal(doc.get("a"), 1n);
    assert.equal(doc.get("b"), 1.0);
    assert.equal(typeof doc.get("b"), "number");
    assert.equal(doc.get("c"), "yes");
    assert.equal(doc.get("d"), 1e-5);
    assert.equal(doc.get("e"), null);
    assert.equal(doc.get("f"), true);
    assert.equal(doc.get("g"), "1");
    assert.equal(doc.get("h"), 16n);
    assert.equal(doc.get("i"), "2024-01-01");
    assert.equal(doc.get("j"), Infinity);
    assert.equal(doc.get("k"), 12345678901234567890n);
  });

  it("gives null for an empty document", () => {
    assert.equal(loadYaml(""), null);
    assert.equal(loadYaml("# only a comment\n"), null);
    assert.equal(loadYaml("\n\n"), null);
  });

  it("coerces non-string keys to Python's str() but writes them back typed", () => {
    const doc = loadYaml("1: a\nfalse: b\n1.5: c\n");
    assert.ok(doc instanceof YMap);
    assert.deepEqual(doc.keys(), ["1", "False", "1.5"]);
    assert.equal(dumpYaml(doc), "1: a\nfalse: b\n1.5: c\n");
    // Python dict keys: 1 and True are the same key
    assert.throws(() => loadYaml("1: a\ntrue: b\n"), /found duplicate key "True"/);
  });

  it("keeps block scalars and flow collections", () => {
    const text = "cmd: |\n  a\n  b\nf: >\n  x\n  y\nl: [1, 2]\nm: {a: 1}\n";
    const doc = loadYaml(text);
    assert.ok(doc instanceof YMap);
    const cmd = doc.get("cmd");
    assert.ok(cmd instanceof YBlockStr);
    assert.equal(cmd.value, "a\nb\n");
    assert.equal(cmd.style, "literal");
    assert.equal((doc.get("f") as YBlockStr).value, "x y\n");
    assert.equal(dumpYaml(doc), text);
    assert.deepEqual(toPy(doc), new Map<string, PyValue>([["cmd", "a\nb\n"], ["f", "x y\n"], ["l", [1n, 2n]], ["m", new Map([["a", 1n]])]]));
  });

  it("applies << merges and resolves aliases", () => {
    const doc = loadYaml("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nagain: *b\n");
    assert.deepEqual(toPy(doc), new Map<string, PyValue>([
      ["base", new Map([["x", 1n], ["y", 2n]])],
      ["use", new Map([["x", 1n], ["y", 3n]])],
      ["again", new Map([["x", 1n], ["y", 2n]])],
    ]));
  });

  it("records 1-based source positions", () => {
    const doc = loadYaml("stages:\n  s:\n    outs:\n    - a\n    - b: {}\n");
    assert.ok(doc instanceof YMap);
    const s = (doc.get("stages") as YMap).pair("s");
    assert.equal(s?.line, 2);
    assert.equal(s?.col, 3);
    const outs = ((doc.get("stages") as YMap).get("s") as YMap).get("outs") as YSeq;
    assert.equal(outs.line, 4);
    assert.equal(outs.col, 5);
    assert.equal(outs.items[1].line, 5);
    assert.equal(outs.items[1].col, 7);
  });

  it("round-trips every DVC-written file in the transcripts unchanged", () => {
    for (const text of [FX.longLock, FX.longDvcYaml, FX.longDvcFile, FX.paramsLock, FX.stageAddBasic, FX.stageAddFlags, FX.stageAddWords, FX.stageAddForce, FX.cmdListLock, FX.multilineLock]) {
      assert.equal(dumpYaml(loadYaml(text)), text);
    }
  });

  it("round-trips comments and blank lines the way ruamel does", () => {
    assert.equal(dumpYaml(loadYaml(FX.commentsSrc)), FX.commentsOut);
  });

  it("normalises CRLF like Python's universal newlines", () => {
    assert.equal(dumpYaml(loadYaml("a: 1\r\nb: [x]\r\n")), "a: 1\nb: [x]\n");
  });
});

describe("applyDiff (dvc/utils/collections.py apply_diff)", () => {
  const check = (dest: string, src: string, expected: string) => {
    const loaded = loadYaml(dest);
    const fresh = fromPy(toPy(loadYaml(src)));
    assert.equal(dumpYaml(applyDiff(fresh, loaded)), expected);
  };

  it("rewrites a dvc.yaml stage keeping desc, comments and position (stage-add-force)", () => {
    const user = "# pipeline comment\nstages:\n  s:\n    desc: keep me\n    cmd: echo a # inline comment\n    outs:\n    - a.txt\n";
    const doc = loadYaml(user) as YMap;
    const stage = (doc.get("stages") as YMap).get("s") as YValue;
    applyDiff(fromPy(m(["desc", "keep me"], ["cmd", "echo b"], ["outs", ["b.txt"]])), stage);
    assert.equal(dumpYaml(doc), FX.stageAddForce);
  });

  it("appends new keys after a nested mapping's trailing comment, keeps list item comments", () => {
    check(FX.a1Dest, FX.a1Src, FX.a1Out);
  });

  it("keeps stage order, block styles and comments in a pipeline file", () => {
    check(FX.a2Dest, FX.a2Src, FX.a2Out);
  });

  it("deletes keys with their comments, replaces lists whose length changed", () => {
    check(FX.a3Dest, FX.a3Src, FX.a3Out);
  });

  it("compares values the Python way (1 == 1.0 == True), keeping the old value", () => {
    const dest = loadYaml("a: 1.0\nb: true\nc: x\n") as YMap;
    applyDiff(fromPy(m(["a", 1n], ["b", 1n], ["c", "x"])), dest);
    assert.equal(dumpYaml(dest), "a: 1.0\nb: true\nc: x\n");
    assert.ok(pyEqual(1n, 1.0) && pyEqual(true, 1n) && !pyEqual("1", 1n));
    assert.ok(pyEqual(fromPy(m(["x", 1n], ["y", 2n])), fromPy(m(["y", 2n], ["x", 1n]))));
  });

  it("pyValueEqual agrees with pyEqual over the models, on generated values", () => {
    let seed = 11;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const scalars: PyValue[] = [null, true, false, 0n, 1n, 2n, 0, 1, 1.5, -0, "1", "x", "", "true"];
    const gen = (depth: number): PyValue => {
      const k = rnd(depth > 2 ? 1 : 4);
      if (k === 0) return scalars[rnd(scalars.length)];
      if (k === 1) return Array.from({ length: rnd(3) }, () => gen(depth + 1));
      const entries: [string, PyValue][] = Array.from({ length: rnd(3) }, () => [["a", "b", "c"][rnd(3)], gen(depth + 1)]);
      return k === 2 ? new Map(entries) : Object.fromEntries(entries);
    };
    let equal = 0;
    for (let i = 0; i < 3000; i++) {
      const a = gen(0);
      const b = rnd(3) === 0 ? a : gen(0);
      const expected = pyEqual(fromPy(a), fromPy(b));
      assert.equal(pyValueEqual(a, b), expected, JSON.stringify([a, b], (_k, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Map ? Object.fromEntries(v) : v)));
      if (expected) equal++;
    }
    assert.ok(equal > 500 && equal < 2500, `both outcomes exercised (${equal} equal)`);
  });

  it("refuses a mapping against a sequence", () => {
    assert.throws(() => applyDiff(new YMap(), new YSeq()), /Can't apply diff from dict to list/);
  });
});

describe("invalid YAML: DVC's report", () => {
  it("matches the err-yaml-syntax transcript exactly", () => {
    const text = "stages:\n  s:\n    cmd: echo [unclosed\n    outs:\n      - a\n     - b\n";
    const err = parseError(text);
    assert.equal(err.context, "while parsing a block mapping");
    assert.deepEqual(err.contextMark, { line: 2, column: 4 });
    assert.equal(err.problem, "did not find expected key");
    assert.deepEqual(err.problemMark, { line: 5, column: 5 });
    assert.equal(formatYamlError(err, "dvc.yaml", text), FX.errSyntax);
    assert.equal(formatYamlError(err, "./dvc.yaml", text), FX.errSyntax);
  });

  for (const [name, [text, expected]] of Object.entries(ERRORS)) {
    it(`reports ${name} like libyaml + ruamel + rich`, () => {
      assert.equal(formatYamlError(parseError(text), "dvc.yaml", text), expected);
    });
  }

  it("uses the path as given when it starts with ..", () => {
    const err = parseError("a: b: c\n");
    assert.match(formatYamlError(err, "../dvc.yaml", "a: b: c\n"), /^'\.\.\/dvc\.yaml' is invalid\.\n/);
    assert.match(formatYamlError(err, "sub/dvc.yaml", "a: b: c\n", { rev: "0123456789abcdef" }), /^'\.\/sub\/dvc\.yaml' is invalid in revision '0123456'\.\n/);
  });
});
