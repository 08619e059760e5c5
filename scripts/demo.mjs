#!/usr/bin/env node
// `npm run demo`: walk through the example project (examples/) with bin/dvc, echoing every
// command and its output. Runs in a fresh temp dir that is removed at the end (--keep keeps it).
// Exits non-zero as soon as a step does not behave the way DVC 3 does.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { constants as osConstants, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DVC = join(ROOT, "bin", "dvc");
const EXAMPLES = join(ROOT, "examples");
const keep = process.argv.includes("--keep");
const STEP_TIMEOUT_MS = 120e3; // no step of this tiny demo should take more than a second or two

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (useColor ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (useColor ? `\x1b[2m${s}\x1b[0m` : s);
const red = (s) => (useColor ? `\x1b[31m${s}\x1b[0m` : s);

if (!existsSync(join(ROOT, "dist", "src", "cli", "main.js"))) {
  console.error(red("dist/ is missing: run `npm run build` first (or `npm run demo`, which builds)."));
  process.exit(1);
}

const base = mkdtempSync(join(tmpdir(), "dvc-ts-demo-"));
const work = join(base, "example");

// A fixed git identity so `git commit` works on machines without one; everything else is the
// user's own environment.
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME ?? "dvc-ts demo",
  GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL ?? "demo@example.com",
  GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? "dvc-ts demo",
  GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? "demo@example.com",
};
delete env.NODE_EXTRA_CA_CERTS; // slows every Node start; dvc-ts makes no TLS connections here

class StepFailed extends Error {}

function note(text) {
  console.log(`\n${dim("# " + text)}`);
}

/**
 * Run one command in the work dir, echo it and its output, check the outcome.
 * expect.code: exact exit code (default 0), or "nonzero".
 * expect.output: substrings that must appear in stdout+stderr.
 */
function sh(display, file, args, expect = {}) {
  console.log(bold(`$ ${display}`));
  const r = spawnSync(file, args, { cwd: work, env, encoding: "utf8", maxBuffer: 64 << 20, timeout: STEP_TIMEOUT_MS, stdio: ["ignore", "pipe", "pipe"] });
  if (r.error?.code === "ETIMEDOUT") throw new StepFailed(`\`${display}\` did not finish within ${STEP_TIMEOUT_MS / 1000} s (killed)`);
  if (r.error) throw new StepFailed(`could not run ${file}: ${r.error.message}`);
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  if (out) process.stdout.write(out.endsWith("\n") ? out : out + "\n");
  const code = r.status ?? 128 + (osConstants.signals[r.signal] ?? 0);
  const want = expect.code ?? 0;
  const codeOk = want === "nonzero" ? code !== 0 : code === want;
  if (want !== 0 || code !== 0) console.log(dim(`[exit ${code}]`));
  if (!codeOk) {
    throw new StepFailed(`\`${display}\` exited with ${code}${r.signal ? ` (signal ${r.signal})` : ""}, expected ${want}`);
  }
  for (const s of expect.output ?? []) {
    if (!out.includes(s)) throw new StepFailed(`\`${display}\`: expected its output to contain ${JSON.stringify(s)}`);
  }
  return out;
}

const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, "\\$1")}"`);
const dvc = (args, expect) => sh(`dvc ${args.map(quote).join(" ")}`, DVC, args, expect);
const git = (args, expect) => sh(`git ${args.map(quote).join(" ")}`, "git", args, expect);

function check(cond, message) {
  if (!cond) throw new StepFailed(message);
}

let failed = false;
try {
  cpSync(EXAMPLES, work, { recursive: true });
  const original = readFileSync(join(work, "data", "iris.csv"));
  console.log(dim(`(working in ${work})`));

  note("A git repository with the example data, then DVC on top of it");
  git(["init", "-q"]);
  dvc(["init"], { output: ["Initialized DVC repository."] });

  note("Track a single file and a whole directory");
  dvc(["add", "data/iris.csv"], { output: ["data/iris.csv.dvc"] });
  dvc(["add", "data/images"], { output: ["data/images.dvc"] });
  sh("cat data/iris.csv.dvc", "cat", ["data/iris.csv.dvc"], { output: ["md5:", "path: iris.csv"] });
  sh("cat data/.gitignore", "cat", ["data/.gitignore"], { output: ["/iris.csv", "/images"] });

  note("Commit the small .dvc files to git (the data itself stays out of git)");
  git(["add", "-A"]);
  git(["commit", "-q", "-m", "Track data with DVC"]);
  dvc(["status"], { output: ["Data and pipelines are up to date."] });

  note("Change the CSV: dvc status reports it as modified");
  console.log(bold(`$ echo "5.0,3.3,1.4,0.2,setosa" >> data/iris.csv`));
  appendFileSync(join(work, "data", "iris.csv"), "5.0,3.3,1.4,0.2,setosa\n");
  dvc(["status"], { output: ["data/iris.csv.dvc:", "changed outs:", "modified:", "data/iris.csv"] });

  note("dvc checkout will not throw away changes that are not in the cache without --force");
  dvc(["checkout"], { code: "nonzero", output: ["Can't remove the following unsaved files without confirmation", "--force"] });
  check(!readFileSync(join(work, "data", "iris.csv")).equals(original), "data/iris.csv was changed by a refused checkout");

  dvc(["checkout", "--force"], { output: ["M", "data/iris.csv"] });
  check(readFileSync(join(work, "data", "iris.csv")).equals(original), "data/iris.csv does not match the tracked version after checkout --force");
  console.log(dim("(data/iris.csv is back to the tracked version, byte for byte)"));

  note("Delete the tracked directory: dvc checkout brings it back from the cache");
  console.log(bold("$ rm -rf data/images"));
  rmSync(join(work, "data", "images"), { recursive: true, force: true });
  dvc(["status"], { output: ["data/images.dvc:", "deleted:", "data/images"] });
  dvc(["checkout"], { output: ["A", "data/images/"] });
  for (const f of ["checker.pgm", "circle.pgm", "gradient.pgm", "labels.csv", "thumbs/dot.pgm"]) {
    const p = join("data", "images", f);
    check(existsSync(join(work, p)), `${p} was not restored`);
    check(readFileSync(join(work, p)).equals(readFileSync(join(EXAMPLES, p))), `${p} differs after checkout`);
  }
  sh("ls -R data/images", "ls", ["-R", "data/images"], { output: ["circle.pgm", "dot.pgm"] });

  note("Everything matches the .dvc files again");
  dvc(["status"], { output: ["Data and pipelines are up to date."] });
  git(["status", "--short"]);

  note("A pipeline on top of the data: prepare -> train -> evaluate (examples/pipeline/)");
  // kept as *.in in examples/ so the data part of the demo sees no pipeline yet
  rmSync(join(work, "pipeline"), { recursive: true, force: true });
  for (const f of ["dvc.yaml", "params.yaml"]) cpSync(join(EXAMPLES, "pipeline", f + ".in"), join(work, f));
  sh("cat dvc.yaml", "cat", ["dvc.yaml"], { output: ["stages:"] });
  dvc(["repro"], { output: ["Running stage 'prepare':", "Running stage 'train':", "Running stage 'evaluate':", "Generating lock file 'dvc.lock'"] });
  sh("cat metrics.json", "cat", ["metrics.json"], { output: ["large_fraction"] });
  dvc(["repro"], { output: ["Data and pipelines are up to date."] });

  note("Change one parameter: only the stages that depend on it run again");
  console.log(bold("$ sed -i 's/threshold: 1.7/threshold: 1.0/' params.yaml"));
  const params = join(work, "params.yaml");
  cpSync(params, params + ".orig");
  rmSync(params);
  appendFileSync(params, readFileSync(params + ".orig", "utf8").replace("threshold: 1.7", "threshold: 1.0"));
  rmSync(params + ".orig");
  dvc(["status"], { output: ["train:", "params.yaml:", "modified:", "train.threshold"] });
  const rerun = dvc(["repro"], { output: ["Stage 'prepare' didn't change, skipping", "Running stage 'train':", "Running stage 'evaluate':"] });
  check(!rerun.includes("Running stage 'prepare'"), "prepare ran although nothing it depends on changed");
  sh("cat metrics.json", "cat", ["metrics.json"], { output: ["large_fraction"] });
  dvc(["status"], { output: ["Data and pipelines are up to date."] });
  dvc(["dag"], { output: ["prepare", "train", "evaluate", "data/iris.csv.dvc"] });

  note("Share data and results through a remote (a local directory), then get them back");
  dvc(["remote", "add", "-d", "store", "../remote"], { output: ["Setting 'store' as a default remote."] });
  dvc(["push"], { output: ["files pushed"] });
  console.log(bold("$ rm -rf .dvc/cache data/images model.txt"));
  for (const p of [".dvc/cache", "data/images", "model.txt"]) rmSync(join(work, p), { recursive: true, force: true });
  dvc(["pull"], { output: ["A", "data/images/", "model.txt", "files fetched"] });
  dvc(["status"], { output: ["Data and pipelines are up to date."] });

  console.log(`\n${bold("Demo finished: every step behaved as DVC does.")}`);
} catch (e) {
  failed = true;
  console.error(red(`\nDEMO FAILED: ${e instanceof StepFailed ? e.message : (e?.stack ?? e)}`));
} finally {
  if (keep) console.log(dim(`(kept ${work})`));
  else rmSync(base, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
