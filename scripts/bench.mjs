#!/usr/bin/env node
// `npm run bench` (builds first): time real `bin/dvc` invocations on generated workloads and
// compare the medians with DVC 3.64's figures on the same kind of machine.
//
//   node scripts/bench.mjs [--runs N] [--quick] [--only NAME[,NAME]] [--keep] [--list]
//
// Workloads are built under bench-work/ at the repo root (gitignored, recreated on every run and
// deleted at the end unless --keep). Only the dvc call itself is timed (spawn to exit, wall clock);
// preparing fresh repos and data happens outside the timed part (followed by `sync`). The environment is the user's,
// except that NODE_EXTRA_CA_CERTS is unset for the child (it alone adds ~50 ms to each Node start).
//
// To add a workload, append an object to WORKLOADS:
//   { name, dvcFigure /* seconds, DVC 3.64, or null */, refLabel?, runs? /* default for this
//     workload, capped by --runs */, quickRuns?, warmups?, setup?(), prepare?(i), run(i), teardown?() }
// setup/teardown run once, prepare(i) before each timed run (untimed), run(i) is timed. A
// repeatable workload sets `warmups` (untimed runs after setup): the steady state it measures
// needs the parsed-YAML cache to hold the pipeline's files and the command's code cache to
// exist (written once per install, by the first run that parsed no new YAML). Use
// `dvc(args, {cwd})` inside run(): it checks the exit code and fails loudly with stderr.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DVC = join(ROOT, "bin", "dvc");
const WORK = join(ROOT, "bench-work");
const SHARED = join(WORK, "shared"); // generated source data, reused by several workloads

// ---------------------------------------------------------------------------------------------
// options

function parseArgs(argv) {
  const o = { runs: null, quick: false, only: null, keep: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
      if (i + 1 >= argv.length) die(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--runs" || a.startsWith("--runs=")) {
      o.runs = Number(val());
      if (!Number.isInteger(o.runs) || o.runs < 1) die("--runs needs a positive integer");
    } else if (a === "--only" || a.startsWith("--only=")) {
      o.only = val().split(",").map((s) => s.trim()).filter(Boolean);
    } else if (a === "--quick") o.quick = true;
    else if (a === "--keep") o.keep = true;
    else if (a === "--list") o.list = true;
    else if (a === "-h" || a === "--help") {
      console.log("usage: node scripts/bench.mjs [--runs N] [--quick] [--only NAME[,NAME]] [--keep] [--list]");
      process.exit(0);
    } else die(`unknown argument ${a}`);
  }
  return o;
}

function die(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------------------------------------
// running commands

const childEnv = { ...process.env };
delete childEnv.NODE_EXTRA_CA_CERTS;
// git needs an identity only for commits; give one so pipeline workloads can commit.
childEnv.GIT_AUTHOR_NAME ??= "bench";
childEnv.GIT_AUTHOR_EMAIL ??= "bench@example.com";
childEnv.GIT_COMMITTER_NAME ??= "bench";
childEnv.GIT_COMMITTER_EMAIL ??= "bench@example.com";

class BenchError extends Error {}

/** Run a command; throw with its output if it fails. Returns stdout. */
function exec(file, args, { cwd = WORK, allowFail = false } = {}) {
  const r = spawnSync(file, args, { cwd, env: childEnv, encoding: "utf8", maxBuffer: 256 << 20, timeout: 10 * 60e3 });
  if (r.error) throw new BenchError(`${file} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0 && !allowFail) {
    throw new BenchError(
      `\`${file === DVC ? "dvc" : file} ${args.join(" ")}\` in ${cwd} exited with ${r.status ?? r.signal}\n` +
        `--- stderr ---\n${r.stderr}\n--- stdout (tail) ---\n${(r.stdout ?? "").slice(-2000)}`,
    );
  }
  return r.stdout;
}

const dvc = (args, o) => exec(DVC, args, o);
const sh = (cmd, o) => exec("/bin/sh", ["-c", cmd], o);

/** Time fn() with the monotonic clock; returns seconds. */
function timed(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

// ---------------------------------------------------------------------------------------------
// data generators (deterministic: xorshift32 with a fixed seed)

function pseudoRandom(bytes, seed) {
  const buf = Buffer.allocUnsafe(bytes);
  const words = new Uint32Array(buf.buffer, buf.byteOffset, bytes >>> 2);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    words[i] = s;
  }
  return buf;
}

const TREE_FILES = 20_000;
const TREE_DIRS = 100;
const TREE_FILE_SIZE = 4096;

/** SHARED/tree-20k: 100 subdirectories × 200 files × 4 KiB, all different. */
function ensureTree() {
  const dir = join(SHARED, "tree-20k");
  if (existsSync(join(dir, ".complete"))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const data = pseudoRandom(TREE_FILES * TREE_FILE_SIZE, 0x5eed);
  const perDir = TREE_FILES / TREE_DIRS;
  for (let d = 0; d < TREE_DIRS; d++) {
    const sub = join(dir, `dir${String(d).padStart(3, "0")}`);
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < perDir; f++) {
      const n = d * perDir + f;
      writeFileSync(join(sub, `file${String(n).padStart(5, "0")}.bin`), data.subarray(n * TREE_FILE_SIZE, (n + 1) * TREE_FILE_SIZE));
    }
  }
  writeFileSync(join(dir, ".complete"), "");
  return dir;
}

const BIG_SIZE = 1 << 30;

/**
 * SHARED/big.bin: 1 GiB. One fixed pseudo-random 1 MiB block, with every 1 MiB chunk stamped by
 * its index (first 64 bytes) so no two chunks are identical.
 */
function ensureBig() {
  const file = join(SHARED, "big.bin");
  if (existsSync(file + ".complete")) return file;
  mkdirSync(SHARED, { recursive: true });
  const block = pseudoRandom(1 << 20, 0xb16b10c);
  const fd = openSync(file, "w");
  try {
    for (let i = 0; i < BIG_SIZE >>> 20; i++) {
      for (let k = 0; k < 8; k++) block.writeUInt32LE((i * 2654435761 + k * 40503) >>> 0, k * 8);
      block.writeUInt32LE(i, 4);
      let off = 0;
      while (off < block.length) off += writeSync(fd, block, off, block.length - off);
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(file + ".complete", "");
  return file;
}

/** A fresh git + dvc repository at WORK/<name> (removed first if present). */
function freshRepo(name) {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  exec("git", ["init", "-q"], { cwd: dir });
  dvc(["init", "-q"], { cwd: dir });
  return dir;
}

function copyTree(src, dst) {
  // cp(1) is faster than fs.cpSync for 20k small files.
  exec("cp", ["-r", src, dst]);
}

// ---------------------------------------------------------------------------------------------
// workloads

let repo20k = null; // WORK/repo-20k: tree-20k added (shared by status-20k and checkout-20k)
function ensureAddedRepo20k() {
  if (repo20k && existsSync(join(repo20k, "data.dvc"))) return repo20k;
  const tree = ensureTree();
  const dir = freshRepo("repo-20k");
  copyTree(tree, join(dir, "data"));
  dvc(["add", "data"], { cwd: dir });
  repo20k = dir;
  return dir;
}

const WORKLOADS = [
  {
    name: "version",
    dvcFigure: 0.13,
    description: "`dvc --version`",
    run() {
      dvc(["--version"]);
    },
  },
  {
    name: "node-startup",
    dvcFigure: null,
    refLabel: "`node -e 0` (reference)",
    description: "`node -e 0`: Node.js's own start-up, the floor under every dvc-ts command (not a dvc command)",
    run() {
      exec(process.execPath, ["-e", "0"]);
    },
  },
  {
    name: "status-100",
    warmups: 2,
    dvcFigure: 0.68,
    description: "`dvc status` of a generated 100-stage pipeline (load, resolve, plan; never run)",
    setup() {
      this.dir = pipelineRepo("pipe-100", 100);
    },
    run() {
      dvc(["status"], { cwd: this.dir });
    },
  },
  {
    name: "dag-100",
    warmups: 2,
    dvcFigure: 0.71,
    description: "`dvc dag --dot` of the 100-stage pipeline",
    setup() {
      this.dir = pipelineRepo("pipe-100", 100);
    },
    run() {
      dvc(["dag", "--dot"], { cwd: this.dir });
    },
  },
  {
    name: "status-1000",
    warmups: 2,
    dvcFigure: null,
    description: "`dvc status` of a generated 1,000-stage pipeline",
    setup() {
      this.dir = pipelineRepo("pipe-1000", 1000);
    },
    run() {
      dvc(["status"], { cwd: this.dir });
    },
  },
  {
    name: "dag-1000",
    warmups: 2,
    dvcFigure: null,
    description: "`dvc dag --dot` of the 1,000-stage pipeline",
    setup() {
      this.dir = pipelineRepo("pipe-1000", 1000);
    },
    run() {
      dvc(["dag", "--dot"], { cwd: this.dir });
    },
  },
  {
    name: "shell-100",
    dvcFigure: null,
    refLabel: "100 × `$SHELL -c cp` (reference)",
    description: "100 sequential `$SHELL -c 'cp a b'` from a shell loop: the process-creation floor of a first `repro` of 100 stages (not a dvc command)",
    runs: 3,
    quickRuns: 1,
    setup() {
      this.dir = join(WORK, "shell-100");
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(join(this.dir, "in.txt"), "seed\n");
    },
    run() {
      const sh = process.env.SHELL || "/bin/sh";
      exec("/bin/sh", ["-c", `for i in $(seq 100); do "${sh}" -c "cp in.txt out$i.txt" || exit 1; done`], { cwd: this.dir });
    },
    teardown() {
      rmSync(this.dir, { recursive: true, force: true });
    },
  },
  {
    name: "repro-100-first",
    dvcFigure: 16.7,
    description: "first `dvc repro` of the 100-stage pipeline (50-stage chain + 50 independent stages)",
    runs: 3,
    quickRuns: 1,
    prepare() {
      this.dir = pipelineRepo("repro-100", 100, { fresh: true });
    },
    run() {
      dvc(["repro"], { cwd: this.dir });
    },
  },
  {
    name: "repro-100-noop",
    warmups: 2,
    dvcFigure: 1.34,
    description: "`dvc repro` of the 100-stage pipeline when nothing changed",
    setup() {
      this.dir = pipelineRepo("repro-100-noop", 100, { fresh: true });
      dvc(["repro"], { cwd: this.dir });
    },
    run() {
      const out = dvc(["repro"], { cwd: this.dir });
      if (!out.includes("up to date")) throw new BenchError(`no-op repro ran something:\n${out}`);
    },
  },
  {
    name: "repro-1000-first",
    dvcFigure: null,
    description: "first `dvc repro` of a 1,000-stage pipeline (500-stage chain + 500 independent stages)",
    runs: 1,
    quickRuns: 1,
    prepare() {
      this.dir = pipelineRepo("repro-1000", 1000, { fresh: true });
    },
    run() {
      dvc(["repro"], { cwd: this.dir });
    },
  },
  // The file-heavy workloads come last: after them this VM runs everything slower for ~20 s
  // (`node -e 0` 63–82 ms instead of ~60), which would land on the start-up-bound ones.
  {
    name: "add-20k",
    dvcFigure: 6.2,
    description: "`dvc add data`, 20,000 files × 4 KiB in 100 subdirs, fresh repo and empty cache each run",
    quickRuns: 2,
    setup() {
      ensureTree();
    },
    prepare() {
      this.dir = freshRepo("add-20k");
      copyTree(ensureTree(), join(this.dir, "data"));
    },
    run() {
      dvc(["add", "data"], { cwd: this.dir });
    },
    teardown() {
      rmSync(join(WORK, "add-20k"), { recursive: true, force: true });
    },
  },
  {
    name: "status-20k",
    dvcFigure: 1.03,
    description: "`dvc status` right after `dvc add data` of the 20k tree (no-op)",
    setup() {
      this.dir = ensureAddedRepo20k();
    },
    run() {
      const out = dvc(["status"], { cwd: this.dir });
      if (!out.includes("up to date")) throw new BenchError(`dvc status is not clean:\n${out}`);
    },
  },
  {
    name: "checkout-20k",
    dvcFigure: 5.05,
    description: "`rm -rf data` then `dvc checkout` of the 20k tree",
    quickRuns: 2,
    setup() {
      this.dir = ensureAddedRepo20k();
    },
    prepare() {
      rmSync(join(this.dir, "data"), { recursive: true, force: true });
    },
    run() {
      dvc(["checkout"], { cwd: this.dir });
    },
    teardown() {
      if (!existsSync(join(this.dir, "data", "dir099", "file19999.bin"))) throw new BenchError("checkout did not restore data/");
    },
  },
  {
    name: "cp-20k",
    dvcFigure: null,
    refLabel: "`cp -r` of the 20k tree (reference)",
    description: "`cp -r data copy` of the 20k tree: the file system's floor for creating 20,000 files (not a dvc command)",
    quickRuns: 1,
    setup() {
      this.src = ensureTree();
      this.dst = join(WORK, "cp-20k");
    },
    prepare() {
      rmSync(this.dst, { recursive: true, force: true });
    },
    run() {
      copyTree(this.src, this.dst);
    },
    teardown() {
      rmSync(this.dst, { recursive: true, force: true });
    },
  },
  {
    name: "add-1g",
    dvcFigure: 6.05,
    description: "`dvc add big.bin`, 1 GiB of pseudo-random bytes, fresh repo and empty cache each run",
    runs: 3,
    quickRuns: 1,
    setup() {
      ensureBig();
    },
    prepare() {
      rmSync(join(WORK, "add-1g"), { recursive: true, force: true }); // free 2 GiB before copying
      this.dir = freshRepo("add-1g");
      exec("cp", [ensureBig(), join(this.dir, "big.bin")]);
    },
    run() {
      dvc(["add", "big.bin"], { cwd: this.dir });
    },
    teardown() {
      rmSync(join(WORK, "add-1g"), { recursive: true, force: true });
    },
  },
  {
    name: "md5sum-1g",
    dvcFigure: 1.78,
    refLabel: "`md5sum` (reference)",
    description: "`md5sum big.bin` alone, the floor for hashing 1 GiB on one core (not a dvc command)",
    runs: 3,
    quickRuns: 1,
    setup() {
      this.file = ensureBig();
    },
    run() {
      exec("md5sum", [this.file]);
    },
  },
  // Pipeline workloads: generated dvc.yaml files (a chain plus independent stages).
];

/**
 * A repo whose dvc.yaml has n stages: a chain of n/2 stages (each copies the previous output)
 * and n/2 independent stages reading one input each. Commands are cheap `cp`s so the figures
 * measure dvc itself.
 */
function pipelineRepo(name, n, { fresh = false } = {}) {
  const dir = join(WORK, name);
  if (!fresh && existsSync(join(dir, "dvc.yaml"))) return dir;
  freshRepo(name);
  const half = Math.floor(n / 2);
  let y = "stages:\n";
  writeFileSync(join(dir, "in.txt"), "seed\n");
  for (let i = 0; i < half; i++) {
    const dep = i === 0 ? "in.txt" : `chain${i - 1}.txt`;
    y += `  chain${i}:\n    cmd: cp ${dep} chain${i}.txt\n    deps:\n    - ${dep}\n    outs:\n    - chain${i}.txt\n`;
  }
  for (let i = 0; i < n - half; i++) {
    writeFileSync(join(dir, `src${i}.txt`), `source ${i}\n`);
    y += `  ind${i}:\n    cmd: cp src${i}.txt ind${i}.txt\n    deps:\n    - src${i}.txt\n    outs:\n    - ind${i}.txt\n`;
  }
  writeFileSync(join(dir, "dvc.yaml"), y);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// main

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);

if (opts.list) {
  for (const w of WORKLOADS) console.log(`${w.name.padEnd(14)} ${w.description}`);
  process.exit(0);
}

let selected = WORKLOADS;
if (opts.only) {
  const unknown = opts.only.filter((n) => !WORKLOADS.some((w) => w.name === n));
  if (unknown.length) die(`unknown workload(s): ${unknown.join(", ")} (known: ${WORKLOADS.map((w) => w.name).join(", ")})`);
  selected = WORKLOADS.filter((w) => opts.only.includes(w.name));
}

function runsFor(w) {
  const base = opts.runs ?? 5;
  if (opts.quick) return Math.min(base, w.quickRuns ?? 3);
  return w.runs ? Math.min(base, w.runs) : base;
}

if (!existsSync(join(ROOT, "dist", "src", "cli", "main.js"))) die("dist/ is missing: run `npm run build` first (`npm run bench` does)");

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });

const version = dvc(["--version"]).trim();
const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`;
console.log(`dvc-ts ${version} — ${machine}`);
console.log(`bench-work: ${WORK}\n`);

const results = [];
const t0 = process.hrtime.bigint();
let failure = null;
try {
  for (const w of selected) {
    const n = runsFor(w);
    const tty = process.stdout.isTTY;
    if (tty) process.stdout.write(`${w.name.padEnd(14)} setup…`);
    const ts = timed(() => w.setup?.());
    process.stdout.write(`${tty ? "\r\x1b[K" : ""}${w.name.padEnd(14)} (setup ${fmt(ts)})`);
    for (let i = 0; i < (w.warmups ?? 0); i++) w.run(-1 - i);
    const times = [];
    for (let i = 0; i < n; i++) {
      w.prepare?.(i);
      // Flush the preparation's dirty pages (fresh copies of the data) so their writeback does
      // not land inside the timed run.
      exec("sync", []);
      times.push(timed(() => w.run(i)));
      process.stdout.write(` ${fmt(times[i])}`);
    }
    w.teardown?.();
    const med = median(times);
    console.log(`  → median ${fmt(med)}`);
    results.push({ w, times, med });
  }
} catch (e) {
  failure = e;
  process.stdout.write("\n");
}

const totalS = Number(process.hrtime.bigint() - t0) / 1e9;

function table() {
  const lines = [
    "| workload | dvc-ts median | DVC 3.64 | ratio (dvc-ts / DVC) | runs (min – max) |",
    "|---|---:|---:|---:|---|",
  ];
  for (const { w, times, med } of results) {
    const ref = w.dvcFigure == null ? "—" : `${fmt(w.dvcFigure)}${w.refLabel ? ` ${w.refLabel}` : ""}`;
    const ratio = w.dvcFigure ? `${(med / w.dvcFigure).toFixed(2)}×` : "—";
    const range = `${times.length} (${fmt(Math.min(...times))} – ${fmt(Math.max(...times))})`;
    lines.push(`| \`${w.name}\` | ${fmt(med)} | ${ref} | ${ratio} | ${range} |`);
  }
  return lines.join("\n");
}

const report = [
  `# dvc-ts benchmark`,
  "",
  `dvc-ts ${version} on ${machine}; ${new Date().toISOString()}.`,
  `Medians of wall-clock time per \`bin/dvc\` invocation (spawn to exit); DVC 3.64 figures were measured on the same kind of machine.`,
  `NODE_EXTRA_CA_CERTS is unset for the child processes (it alone adds ~50 ms to every Node start).`,
  "",
  table(),
  "",
  ...results.map(({ w }) => `- \`${w.name}\`: ${w.description}`),
  "",
].join("\n");

if (results.length) {
  console.log("\n" + table() + "\n");
  writeFileSync(join(WORK, "results.md"), report);
}

if (failure) {
  console.error(`\nbench FAILED${results.length ? " (partial results above)" : ""}:\n${failure instanceof BenchError ? failure.message : failure?.stack ?? failure}`);
}

// Clean up the workloads (keep results.md).
if (!opts.keep) {
  for (const name of readdirSync(WORK)) {
    if (name !== "results.md") rmSync(join(WORK, name), { recursive: true, force: true });
  }
}

console.log(`total ${fmt(totalS)}${results.length ? `; table written to ${join("bench-work", "results.md")}` : ""}${opts.keep ? "; workloads kept in bench-work/" : ""}`);
process.exit(failure ? 1 : 0);
