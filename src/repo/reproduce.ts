// `dvc repro` (dvc/repo/reproduce.py, dvc/stage/__init__.py, dvc/stage/run.py): plan stages in
// dependency order, decide which changed, restore from the run cache or run their commands, then
// hash and commit outputs and write each stage's dvc.lock entry right away.
import { childProcess } from "../util/lazy.js";
import { constants as osConstants } from "node:os";
import { haltIfExiting, holdInterrupts } from "../util/interrupt.js";
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import { DvcException, errorText } from "../errors.js";
import type { PyValue } from "../util/py.js";
import { DvcFileStage, writeDvcFile } from "../stage/dvcfile.js";
import type { Output } from "../stage/output.js";
import { PipelineStage } from "../stage/pipeline-stage.js";
import type { Stage } from "../stage/stage.js";
import { buildGraph, type StageGraph } from "../pipeline/graph.js";
import { lockfileExists, paramsEntry, readLockfile, stageLockEntry, writeLockEntry } from "../pipeline/lockfile.js";
import { pyValueEqual } from "../yaml/model.js";
import { collectStages, invalidateStages } from "./index.js";
import { stagesForTarget, isValidDvcFilename, parseTarget } from "./collect.js";
import type { Repo } from "./repo.js";
import type { ScmContext } from "./scm-context.js";
import { currentParams, outputStatus, paramsStatus, workspaceStatus } from "./status.js";
import { commitOutput, computeOutput, inCache, planCheckout, unprotectOutput } from "./workspace.js";
import { RunCache, canUseRunCache } from "./run-cache.js";
import { CheckoutError } from "./checkout.js";
import { fetchObjects, fetchRunCache, pull as pullData } from "./data-sync.js";
import { segmentRegExp } from "../util/glob.js";
import { ShellRunner } from "../stage/shell-runner.js";
import { WriteBehind } from "../util/write-behind.js";

export interface ReproOptions {
  force?: boolean;
  single?: boolean;
  pipeline?: boolean;
  allPipelines?: boolean;
  recursive?: boolean;
  downstream?: boolean;
  forceDownstream?: boolean;
  dry?: boolean;
  interactive?: boolean;
  keepGoing?: boolean;
  ignoreErrors?: boolean;
  noCommit?: boolean;
  noRunCache?: boolean;
  allowMissing?: boolean;
  glob?: boolean;
  /** `--pull`: fetch the run cache first; pull a stage's missing data instead of running it. */
  pull?: boolean;
  /** Run up to this many independent stages at once (beyond DVC; 1 = DVC's behaviour). */
  jobs?: number;
}

export interface ReproReporter {
  info(text: string): void;
  warn(text: string): void;
  confirm(question: string): Promise<boolean>;
  /** Set for parallel runs: commands' output is collected instead of inherited. */
  capture?: (chunk: Buffer, fd: 1 | 2) => void;
  /** Set for parallel runs: names of stages later in the plan (keeps dvc.lock in plan order). */
  laterStages?: ReadonlySet<string>;
  /** Called as each changed stage starts to be reproduced (run, restored, verified): what came
   * before is all a no-op run does. */
  stageStarts?(): void;
}

/** One line of a stage's buffered output in a parallel run. */
export interface BufferedLine {
  fd: 1 | 2;
  text: string;
}

export interface ReproResult {
  /** Stages that ran or had their outputs restored, in the order they ended. */
  reproduced: Stage[];
  /** Of those, the ones restored from dvc.lock or the run cache instead of running. */
  restored: Stage[];
  /** Planned stages that had not changed (and were not forced). */
  skipped: Stage[];
  /** Stages that failed (with -k / --ignore-errors). */
  failed: Stage[];
}

export class ReproductionError extends DvcException {}


/** Resolve repro targets to stages (no output paths: dvc/repo/stage.py collect). */
async function collectTargets(repo: Repo, all: Stage[], targets: string[], opts: ReproOptions): Promise<Stage[]> {
  const out: Stage[] = [];
  const add = (list: Stage[]) => {
    for (const s of list) if (!out.includes(s)) out.push(s);
  };
  for (const target of targets) {
    if (opts.recursive && existsSync(target) && !isValidDvcFilename(target)) {
      const abs = path.resolve(target);
      add(all.filter((s) => s.file === abs || s.file.startsWith(abs + path.sep)));
      continue;
    }
    if (opts.glob) {
      const i = target.lastIndexOf(":");
      const file = path.resolve(i >= 0 ? target.slice(0, i) || "dvc.yaml" : "dvc.yaml");
      const re = segmentRegExp(i >= 0 ? target.slice(i + 1) : target);
      add(all.filter((s) => s instanceof PipelineStage && s.file === file && (re.test(s.name) || (s.group !== undefined && re.test(s.group)))));
      continue;
    }
    const { file } = parseTarget(target);
    if (file) {
      const abs = path.resolve(file);
      const ignore = await repo.dvcignore();
      const rel = ignore.relOf(abs);
      if (rel !== null && ignore.isIgnored(rel, false)) throw new DvcException(`'${abs}' is dvc-ignored`);
      if (repo.git?.isIgnored(abs, false)) throw new DvcException(`'${abs}' is git-ignored.`);
    }
    const found = stagesForTarget(all, target);
    if (!found) {
      if (!existsSync(path.resolve("dvc.yaml"))) throw new DvcException("'dvc.yaml' does not exist");
      throw new DvcException(`Stage '${target}' not found inside 'dvc.yaml' file`);
    }
    add(found.stages);
  }
  return out;
}

/** DFS post-order over `nodes` (index order), descending along `edges`. */
function postorder(all: Stage[], nodes: Set<Stage>, edges: (s: Stage) => Stage[]): Stage[] {
  const order: Stage[] = [];
  const seen = new Set<Stage>();
  const visit = (s: Stage): void => {
    const stack: { s: Stage; i: number; next: Stage[] }[] = [{ s, i: 0, next: edges(s).filter((n) => nodes.has(n)) }];
    seen.add(s);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < top.next.length) {
        const n = top.next[top.i++];
        if (!seen.has(n)) {
          seen.add(n);
          stack.push({ s: n, i: 0, next: edges(n).filter((m) => nodes.has(m)) });
        }
      } else {
        order.push(top.s);
        stack.pop();
      }
    }
  };
  for (const s of all) if (nodes.has(s) && !seen.has(s)) visit(s);
  return order;
}

function reach(starts: Stage[], edges: (s: Stage) => Stage[]): Set<Stage> {
  const seen = new Set<Stage>();
  const stack = [...starts];
  while (stack.length) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    stack.push(...edges(s));
  }
  return seen;
}

export async function plan(repo: Repo, targets: string[], opts: ReproOptions): Promise<{ stages: Stage[]; graph: StageGraph | null }> {
  const all = await collectStages(repo);
  const tgts = opts.allPipelines ? [] : await collectTargets(repo, all, targets.length ? targets : ["dvc.yaml"], opts);
  if (opts.single && !opts.pipeline && !opts.allPipelines) return { stages: tgts, graph: null };
  const graph = buildGraph(all);
  const ups = (s: Stage): Stage[] => (s.frozen ? [] : graph.upstream.get(s)!);
  const downs = (s: Stage): Stage[] => graph.downstream.get(s)!.filter((d) => !d.frozen);
  let nodes: Set<Stage>;
  if (tgts.length === 0) nodes = new Set(all);
  else if (opts.pipeline) nodes = reach(tgts, (s) => [...ups(s), ...downs(s)]);
  else if (opts.downstream) nodes = reach(tgts, downs);
  else nodes = reach(tgts, ups);
  return { stages: postorder(all, nodes, opts.downstream && !opts.pipeline && tgts.length ? ups : ups), graph };
}

async function anyChanged(items: Promise<unknown>[]): Promise<boolean> {
  for (const p of items) if (await p) return true;
  return false;
}

/** dvc/stage/__init__.py `changed`. */
async function stageChanged(repo: Repo, st: Stage, opts: ReproOptions): Promise<boolean> {
  if (st instanceof PipelineStage) {
    if (!st.frozen) {
      if (st.isCallback || st.alwaysChanged) return true;
      for (const d of st.deps) {
        const s = await workspaceStatus(repo, d);
        if (s && !(opts.allowMissing && s === "deleted")) return true;
      }
      for (const p of st.params) if (await paramsStatus(p)) return true;
    }
  }
  for (const o of st.outs) {
    const s = await outputStatus(repo, o);
    if (s && !(opts.allowMissing && (s === "deleted" || s === "not in cache"))) return true;
  }
  if (st instanceof PipelineStage && st.cmdChanged) return true;
  return false;
}

/**
 * `--pull` (dvc/stage/__init__.py reproduce): a stage whose only change is missing data gets it
 * pulled and checked out instead of running. True when that worked; on a checkout failure DVC
 * says so and runs the stage.
 */
async function pulledInstead(repo: Repo, st: Stage, opts: ReproOptions, rep: ReproReporter): Promise<boolean> {
  if (!opts.pull || (await stageChanged(repo, st, { ...opts, allowMissing: true }))) return false;
  rep.info(`Pulling data for stage: '${st.addressing}'`);
  try {
    await pullData(repo, [st.addressing]);
    return true;
  } catch (e) {
    if (!(e instanceof CheckoutError)) throw e;
    rep.info(`Unable to pull data for stage: '${st.addressing}'`);
    return false;
  }
}

/** `--pull` first fetches the run cache from the default remote (a failure is only a warning). */
function pullRunCache(repo: Repo, opts: ReproOptions, rep: ReproReporter): void {
  if (!opts.pull || opts.noRunCache) return;
  try {
    fetchRunCache(repo);
  } catch (e) {
    rep.warn(`Failed to pull run cache: ${errorText(e)}`);
  }
}

/** A `.dvc` data source is named without "Stage" (dvc/stage/__init__.py reproduce). */
function unchangedMessage(st: Stage): string {
  return st instanceof DvcFileStage ? `'${st.addressing}' didn't change, skipping` : `Stage '${st.addressing}' didn't change, skipping`;
}

function splitCommands(cmd: string | string[]): string[] {
  if (Array.isArray(cmd)) return cmd;
  const lines = cmd.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function shellArgs(): [string, string[]] {
  const shell = process.env.SHELL || "/bin/sh";
  const base = path.basename(shell);
  if (base === "bash") return [shell, ["--noprofile", "--norc"]];
  if (base === "zsh") return [shell, ["--no-rcs"]];
  return [shell, []];
}

/** With `capture`, the command's stdout/stderr are collected there (parallel runs) instead of
 * going straight to the terminal. */
async function runCommand(repo: Repo, st: PipelineStage, line: string, capture?: (chunk: Buffer, fd: 1 | 2) => void, runner?: ShellRunner): Promise<void> {
  const [shell, opts] = shellArgs();
  const extraEnv = { DVC_STAGE: st.addressing, DVC_ROOT: process.env.DVC_ROOT ?? repo.root };
  let code: number | null = null;
  await haltIfExiting();
  if (runner && !capture) {
    const release = holdInterrupts();
    try {
      code = await runner.run({ shell, shellArgs: opts, cwd: st.wdir, extraEnv, line });
    } finally {
      release();
    }
  }
  if (code === null) code = await spawnCommand(shell, opts, st.wdir, extraEnv, line, capture);
  if (code !== 0) throw new DvcException(`failed to run: ${line}, exited with ${code}`);
}

function spawnCommand(shell: string, opts: string[], cwd: string, extraEnv: Record<string, string>, line: string, capture?: (chunk: Buffer, fd: 1 | 2) => void): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  return new Promise<number>((resolve, reject) => {
    const child = childProcess().spawn(shell, [...opts, "-c", line], { cwd, env, stdio: capture ? ["inherit", "pipe", "pipe"] : "inherit" });
    if (capture) {
      child.stdout?.on("data", (b: Buffer) => capture(b, 1));
      child.stderr?.on("data", (b: Buffer) => capture(b, 2));
    }
    const release = holdInterrupts();
    child.on("error", (e) => {
      release();
      reject(e);
    });
    // Python's returncode: the exit status, or minus the signal that ended the child.
    child.on("exit", (c, sig) => {
      release();
      resolve(c ?? (sig ? -(osConstants.signals[sig] ?? 0) : 1));
    });
  });
}

/** Hash deps, params and outs; commit outs; returns the lock entry. */
/** Hash each dependency into its hash/meta (dvc/stage save_deps). */
async function saveDeps(repo: Repo, deps: readonly Output[]): Promise<void> {
  for (const d of deps) {
    const c = await computeOutput(repo, d.absPath, "md5");
    if (!c) throw new DvcException(`dependency '${d.display()}' does not exist`);
    d.hash = c.hash;
    d.meta = c.meta;
  }
}

export async function saveStage(repo: Repo, st: PipelineStage, opts: ReproOptions, scm: ScmContext): Promise<Map<string, PyValue>> {
  await saveDeps(repo, st.deps);
  const values = new Map();
  for (const p of st.params) {
    const v = await currentParams(p);
    if (v === null) throw new DvcException(`Parameters file '${p.defPath}' does not exist`);
    if (p.keys) {
      const missing = p.keys.filter((k) => !v.has(k));
      if (missing.length) throw new DvcException(`Parameters '${missing.join(", ")}' are missing from '${p.defPath}'.`);
    }
    values.set(p, v);
  }
  const computed = [];
  for (const o of st.outs) {
    const c = await computeOutput(repo, o.absPath, "md5");
    if (!c) throw new DvcException(`output '${o.display()}' does not exist`);
    if (c.meta.size === 0 && !c.tree) repo.onWarning(`'${o.display()}' is empty.`);
    o.hash = c.hash;
    o.meta = c.meta;
    computed.push(c);
    if (o.useCache) await scm.ignore(o.absPath);
  }
  const entry = stageLockEntry(st, paramsEntry(st.params, values));
  if (!opts.noCommit) {
    const plainNoCache = st.outs.some((o) => !o.useCache && !o.flags.metric && !o.flags.plot);
    if (canUseRunCache(st) && !plainNoCache) {
      await new RunCache(repo.cacheDir).save(entry, scm.writeBehind ?? undefined);
      // the run cache also keeps cache:false metrics/plots, so they are stored too
      for (let i = 0; i < st.outs.length; i++) if (!st.outs[i].useCache) await commitOutput(repo, st.outs[i], computed[i], { relink: false });
    }
    for (let i = 0; i < st.outs.length; i++) if (st.outs[i].useCache) await commitOutput(repo, st.outs[i], computed[i], { relink: true });
  }
  return entry;
}

let lockQueue: Promise<unknown> = Promise.resolve();

/** dvc.lock writes are serialised (parallel stages share the file). */
export function writeLock(...args: Parameters<typeof writeLockNow>): Promise<void> {
  const next = lockQueue.then(() => writeLockNow(...args));
  lockQueue = next.catch(() => {});
  return next;
}

async function writeLockNow(repo: Repo, st: PipelineStage, entry: Map<string, PyValue>, rep: Pick<ReproReporter, "info" | "laterStages">, scm: ScmContext): Promise<void> {
  const lock = await readLockfile(st.lockFile);
  const rel = path.relative(process.cwd(), st.lockFile);
  if (!lockfileExists(st.lockFile)) rep.info(`Generating lock file '${rel}'`);
  const old = lock.stages.get(st.name);
  if (!old || !pyValueEqual(old, entry)) {
    rep.info(`Updating lock file '${rel}'`);
    await writeLockEntry(st.lockFile, st.name, entry, rep.laterStages, scm.writeBehind ?? undefined);
    scm.track(st.lockFile);
  }
  st.hasLock = true;
  st.lockCmd = st.cmd;
  repo.forgetPipelineFile(st.file);
}

/** Try the lock entry (R1) or the run cache (R2): restore outputs instead of running. */
async function tryRestore(repo: Repo, st: PipelineStage, opts: ReproOptions): Promise<Map<string, PyValue> | null> {
  if (!canUseRunCache(st)) return null;
  let candidate: Map<string, PyValue> | null = null;
  const depsUnchanged = async () => {
    for (const d of st.deps) if (await workspaceStatus(repo, d)) return false;
    for (const p of st.params) if (await paramsStatus(p)) return false;
    return true;
  };
  if (!st.cmdChanged && st.hasLock && st.outs.every((o) => o.hash.value) && (await depsUnchanged())) {
    candidate = (await readLockfile(st.lockFile)).stages.get(st.name) ?? null;
  }
  if (!candidate && !opts.noRunCache) {
    // DVC saves the deps first except in --dry, where the lock's hashes are used (a quirk:
    // --dry then reports the previous run's entry as cached).
    if (!opts.dry) await saveDeps(repo, st.deps);
    const values = new Map();
    for (const p of st.params) {
      const v = await currentParams(p);
      if (v === null) return null;
      values.set(p, v);
    }
    const probe = stageLockEntry(st, paramsEntry(st.params, values));
    candidate = await new RunCache(repo.cacheDir).lookup(probe);
  }
  if (!candidate) return null;
  const outs = candidate.get("outs");
  if (!Array.isArray(outs)) return null;
  if (opts.pull && !opts.dry) {
    // dvc/stage/cache.py restore: with --pull, the candidate's objects are fetched first
    const hashes = outs.flatMap((o) => (o instanceof Map && typeof o.get("md5") === "string" ? [{ name: "md5" as const, value: o.get("md5") as string }] : []));
    await fetchObjects(repo, hashes);
  }
  const byPath = new Map<string, Map<string, PyValue>>();
  for (const o of outs) if (o instanceof Map && typeof o.get("path") === "string") byPath.set(o.get("path") as string, o);
  const restored: { out: Output; hash: string; meta: Map<string, PyValue> }[] = [];
  for (const o of st.outs) {
    const e = byPath.get(o.defPath);
    const md5 = e?.get("md5");
    if (!e || typeof md5 !== "string") return null;
    if (!(await inCache(repo, { name: "md5", value: md5 }))) return null;
    restored.push({ out: o, hash: md5, meta: e });
  }
  return candidate;
}

async function restoreOutputs(repo: Repo, st: PipelineStage, candidate: Map<string, PyValue>): Promise<void> {
  const outs = candidate.get("outs") as Map<string, PyValue>[];
  for (const o of st.outs) {
    const e = outs.find((x) => x.get("path") === o.defPath)!;
    o.hash = { name: "md5", value: e.get("md5") as string };
    o.meta = {};
    if (e.get("isexec") === true) o.meta.isexec = true;
    const p = await planCheckout(repo, o, {});
    await p.apply();
  }
}

export async function reproduce(
  repo: Repo,
  targets: string[],
  opts: ReproOptions,
  rep: ReproReporter,
  scm: ScmContext,
): Promise<ReproResult> {
  const { stages, graph } = await plan(repo, targets, opts);
  pullRunCache(repo, opts, rep);
  if ((opts.jobs ?? 1) > 1 && graph && !opts.interactive) return reproduceParallel(repo, stages, graph, opts, rep, scm);
  const runner = new ShellRunner();
  // dvc.lock, .gitignore and run-cache writes of a stage proceed while the next stage runs;
  // a failed one stops the run before the next stage starts (see write-behind.ts)
  const wb = new WriteBehind();
  scm.writeBehind = wb;
  let result: ReproResult;
  try {
    result = await reproduceSequential(repo, stages, graph, opts, rep, scm, runner, wb);
  } catch (e) {
    await wb.settle();
    // a write that failed came first: it is what DVC would have stopped at
    throw wb.failure ?? e;
  } finally {
    scm.writeBehind = null;
    runner.close();
  }
  await wb.flush();
  invalidateStages(repo);
  return result;
}

async function reproduceSequential(
  repo: Repo,
  stages: Stage[],
  graph: StageGraph | null,
  opts: ReproOptions,
  rep: ReproReporter,
  scm: ScmContext,
  runner: ShellRunner,
  wb: WriteBehind,
): Promise<ReproResult> {
  const reproduced: Stage[] = [];
  const restored: Stage[] = [];
  const unchanged: Stage[] = [];
  const failed: Stage[] = [];
  const skip = new Set<Stage>();
  const forcedDown = new Set<Stage>();
  let printedPrev = false;
  // Writes of stage k-2 and before are done before stage k starts (they had stage k-1's command
  // to finish): a failed write is noticed at the latest one stage later, never further.
  let twoBack: Promise<void> = Promise.resolve();
  for (const st of stages) {
    await haltIfExiting();
    const oneBack = wb.checkpoint();
    await twoBack;
    twoBack = oneBack;
    if (wb.failure !== undefined) throw wb.failure;
    if (skip.has(st)) continue;
    if (printedPrev) rep.info("");
    printedPrev = false;
    if (st.frozen && st instanceof PipelineStage) {
      rep.warn(`stage: '${st.addressing}' is frozen. Its dependencies are not going to be reproduced.`);
    }
    const forced = !!opts.force || forcedDown.has(st);
    try {
      if (!forced && !(await stageChanged(repo, st, opts))) {
        rep.info(unchangedMessage(st));
        unchanged.push(st);
        continue;
      }
      if (!forced && (await pulledInstead(repo, st, opts, rep))) {
        unchanged.push(st);
        continue;
      }
      if (opts.interactive) {
        const ok = await rep.confirm(`Going to reproduce stage: '${st.addressing}'. Are you sure you want to continue?`);
        if (!ok) throw new DvcException("reproduction aborted by the user");
      }
      if ((await runStage(repo, st, opts, forced, rep, scm, runner)) === "restored") restored.push(st);
      reproduced.push(st);
      printedPrev = true;
      if (opts.forceDownstream && graph) for (const d of graph.downstream.get(st)!) forcedDown.add(d);
    } catch (e) {
      if (!(e instanceof DvcException)) throw e;
      if (opts.ignoreErrors) {
        rep.warn(`${errorText(e)} (ignored)`);
        failed.push(st);
        continue;
      }
      if (opts.keepGoing && graph) {
        rep.warn(errorText(e));
        failed.push(st);
        const dependents = [...reach([st], (s) => graph.downstream.get(s)!)].filter((s) => s !== st && stages.includes(s));
        const names = dependents.filter((s) => !skip.has(s)).map((s) => `'${s.addressing}'`);
        for (const d of dependents) skip.add(d);
        if (names.length === 1) rep.warn(`Stage ${names[0]} will be skipped due to this failure`);
        else if (names.length > 1) rep.warn(`Stages ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} will be skipped due to this failure`);
        continue;
      }
      throw new ReproductionError(`failed to reproduce '${st.addressing}'`, { cause: e });
    }
  }
  if (failed.length && !opts.ignoreErrors) {
    const names = failed.map((s) => `'${s.addressing}'`);
    throw new ReproductionError(
      names.length === 1 ? `failed to reproduce ${names[0]}` : `failed to reproduce stages: ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`,
    );
  }
  return { reproduced, restored, skipped: unchanged, failed };
}

/** Reproduce one changed stage; "restored" when its outputs came from dvc.lock or the run cache. */
async function runStage(repo: Repo, st: Stage, opts: ReproOptions, forced: boolean, rep: ReproReporter, scm: ScmContext, runner?: ShellRunner): Promise<"ran" | "restored"> {
  rep.stageStarts?.();
  if (st instanceof DvcFileStage) {
    if (opts.dry) return "ran";
    rep.info(`Verifying data sources in stage: '${st.addressing}'`);
    const missing = st.outs.filter((o) => !existsSync(o.absPath)).map((o) => o.display());
    if (missing.length) throw new DvcException(`missing data '${missing.length > 1 ? "sources" : "source"}': ${missing.join(", ")}`);
    for (const o of st.outs) {
      const c = await computeOutput(repo, o.absPath, "md5");
      if (!c) continue;
      o.hash = c.hash;
      o.meta = c.meta;
      if (!opts.noCommit) await commitOutput(repo, o, c, { relink: true });
    }
    await writeDvcFile(st);
    scm.track(st.file);
    return "ran";
  }
  if (st.frozen) {
    if (opts.dry) return "ran";
    rep.info(`Verifying outputs in frozen stage: '${st.addressing}'`);
    const missing = st.outs.filter((o) => !existsSync(o.absPath)).map((o) => o.display());
    if (missing.length) throw new DvcException(`missing data '${missing.length > 1 ? "sources" : "source"}': ${missing.join(", ")}`);
    await writeLock(repo, st, await saveStage(repo, st, opts, scm), rep, scm);
    return "ran";
  }
  if (!opts.dry) {
    for (const o of st.outs) {
      if (o.flags.persist) await unprotectOutput(repo, o);
      else rmSync(o.absPath, { recursive: true, force: true });
    }
  }
  if (!forced && opts.pull && !opts.dry) {
    // dvc/stage/run.py _pull_missing_deps: a dependency that is not there is pulled by its path
    for (const d of st.deps) if (!existsSync(d.absPath)) await pullData(repo, [path.relative(process.cwd(), d.absPath)]);
  }
  const candidate = forced ? null : await tryRestore(repo, st, opts);
  if (candidate) rep.info(`Stage '${st.addressing}' is cached - skipping run, checking out outputs`);
  if (candidate && !opts.dry) {
    await restoreOutputs(repo, st, candidate);
  } else {
    rep.info(`Running stage '${st.addressing}':`);
    for (const line of splitCommands(st.cmd)) {
      rep.info(`> ${line}`);
      if (!opts.dry) await runCommand(repo, st, line, rep.capture, runner);
    }
    if (opts.dry) return "ran";
  }
  await writeLock(repo, st, await saveStage(repo, st, opts, scm), rep, scm);
  return candidate && !opts.dry ? "restored" : "ran";
}

/**
 * `repro -j N`: a stage starts once every planned stage it depends on has finished, at most N at
 * a time. Each stage's messages and command output are buffered and printed whole when it ends,
 * so logs stay readable; dvc.lock writes are serialised. Failures stop new starts (or, with -k,
 * skip the failed stage's dependents) as in the sequential engine.
 */
async function reproduceParallel(
  repo: Repo,
  stages: Stage[],
  graph: StageGraph,
  opts: ReproOptions,
  rep: ReproReporter,
  scm: ScmContext,
): Promise<ReproResult> {
  const jobs = Math.max(1, opts.jobs ?? 1);
  const planned = new Set(stages);
  const done = new Set<Stage>();
  const skip = new Set<Stage>();
  const reproduced: Stage[] = [];
  const restored: Stage[] = [];
  const unchanged: Stage[] = [];
  const failed: Stage[] = [];
  const forcedDown = new Set<Stage>();
  let fatal: unknown = null;
  let printedAny = false;
  const flush = (lines: BufferedLine[], reproducedStage: boolean): void => {
    if (reproducedStage && printedAny) rep.info("");
    for (const l of lines) (l.fd === 1 ? rep.info : rep.warn)(l.text);
    if (reproducedStage) printedAny = true;
  };
  const upstreamOf = (s: Stage): Stage[] => (s.frozen ? [] : graph.upstream.get(s)!).filter((u) => planned.has(u));
  const ready = (s: Stage): boolean => upstreamOf(s).every((u) => done.has(u));
  const pending = [...stages];
  const running = new Set<Promise<void>>();
  const runOne = async (st: Stage): Promise<void> => {
    const lines: BufferedLine[] = [];
    let partial = "";
    const idx = stages.indexOf(st);
    const sub: ReproReporter = {
      laterStages: new Set(stages.slice(idx + 1).filter((x): x is PipelineStage => x instanceof PipelineStage && x.file === st.file).map((x) => x.name)),
      info: (t) => lines.push({ fd: 1, text: t }),
      warn: (t) => lines.push({ fd: 2, text: t }),
      confirm: rep.confirm,
      stageStarts: rep.stageStarts,
      capture: (chunk) => {
        partial += chunk.toString("utf8");
        const parts = partial.split("\n");
        partial = parts.pop()!;
        for (const p of parts) lines.push({ fd: 1, text: p });
      },
    };
    let ran = false;
    try {
      if (st.frozen && st instanceof PipelineStage) {
        sub.warn(`stage: '${st.addressing}' is frozen. Its dependencies are not going to be reproduced.`);
      }
      const forced = !!opts.force || forcedDown.has(st);
      if (!forced && !(await stageChanged(repo, st, opts))) {
        sub.info(unchangedMessage(st));
        unchanged.push(st);
      } else if (!forced && (await pulledInstead(repo, st, opts, sub))) {
        unchanged.push(st);
      } else {
        if ((await runStage(repo, st, opts, forced, sub, scm)) === "restored") restored.push(st);
        ran = true;
        reproduced.push(st);
        if (opts.forceDownstream) for (const d of graph.downstream.get(st)!) forcedDown.add(d);
      }
    } catch (e) {
      if (partial) lines.push({ fd: 1, text: partial });
      flush(lines, true);
      if (!(e instanceof DvcException)) throw e;
      failed.push(st);
      if (opts.ignoreErrors) rep.warn(`${errorText(e)} (ignored)`);
      else if (opts.keepGoing) {
        rep.warn(errorText(e));
        const dependents = [...reach([st], (s) => graph.downstream.get(s)!)].filter((s) => s !== st && planned.has(s) && !skip.has(s));
        for (const d of dependents) skip.add(d);
        const names = dependents.map((s) => `'${s.addressing}'`);
        if (names.length === 1) rep.warn(`Stage ${names[0]} will be skipped due to this failure`);
        else if (names.length > 1) rep.warn(`Stages ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} will be skipped due to this failure`);
      } else if (!fatal) fatal = new ReproductionError(`failed to reproduce '${st.addressing}'`, { cause: e });
      done.add(st);
      return;
    }
    if (partial) lines.push({ fd: 1, text: partial });
    flush(lines, ran);
    done.add(st);
  };
  while (pending.length || running.size) {
    if (!fatal) {
      for (let i = 0; i < pending.length && running.size < jobs; ) {
        const st = pending[i];
        if (skip.has(st)) {
          pending.splice(i, 1);
          done.add(st);
          continue;
        }
        if (!ready(st)) {
          i++;
          continue;
        }
        pending.splice(i, 1);
        const p: Promise<void> = runOne(st).finally(() => running.delete(p));
        running.add(p);
      }
    } else pending.length = 0;
    if (running.size === 0) break;
    await Promise.race(running);
  }
  if (fatal) throw fatal;
  if (failed.length && !opts.ignoreErrors) {
    const names = failed.map((s) => `'${s.addressing}'`);
    throw new ReproductionError(
      names.length === 1 ? `failed to reproduce ${names[0]}` : `failed to reproduce stages: ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`,
    );
  }
  invalidateStages(repo);
  return { reproduced, restored, skipped: unchanged, failed };
}
