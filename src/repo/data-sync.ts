// `dvc push`, `dvc fetch`, `dvc pull` (dvc/repo/push.py, fetch.py, pull.py; dvc-data's
// hashfile/transfer.py) against local remotes (remote/local.ts).
// - The objects of an output are its own oid and, for a directory, every file its `.dir` lists
//   (the tree is read from the side that has it; parseTree refuses unsafe or corrupted trees).
// - Presence is `check` (data-formats §9.2): an object with mode 0444 is trusted, any other one is
//   re-hashed and deleted when it does not match its name.
// - Upload order: a directory's files first, its `.dir` last and only when every file made it,
//   because a `.dir` on a remote means "all of my files are there" (a remote `.dir` is trusted so).
// - A copied object is re-hashed on the way (addFile/addBytes): content that does not match its
//   name is never stored under that name.
import * as fs from "node:fs";
import * as path from "node:path";
import { hashBytes, type HashName } from "../data/hash.js";
import type { ObjectDB } from "../data/odb.js";
import type { TreeEntry } from "../data/tree.js";
import { openRemote, type LocalRemote } from "../remote/local.js";
import type { HashInfo } from "../stage/output.js";
import { writeFileAtomicSync } from "../util/fs.js";
import { globTargets } from "../util/glob.js";
import { checkout, CheckoutError, type CheckoutResult } from "./checkout.js";
import { collectGranular } from "./collect.js";
import { odbFor } from "./workspace.js";
import type { Repo } from "./repo.js";

export interface SyncOptions {
  remote?: string | null;
  recursive?: boolean;
  /** With targets: also the outputs of the stages upstream of them. */
  withDeps?: boolean;
  /** Targets are shell-style patterns (Python glob). */
  glob?: boolean;
  /** Also transfer the run cache (`<cache>/runs`). */
  runCache?: boolean;
}

export interface MissingObject {
  name: HashName;
  oid: string;
}

export interface TransferReport {
  /** Objects copied (for push, run-cache entries too). */
  count: number;
  /** Objects found neither locally nor on the remote. */
  missing: MissingObject[];
}

/** The remote a data command uses: `-r name`, else `core.remote` (DVC's errors otherwise). */
export function remoteOf(repo: Repo, name: string | null | undefined, command: string): LocalRemote {
  return openRemote(repo.config.getRemote(name, { repo: repo.root, command }));
}

/** The hashes of the targets' cached outputs (all stages' without targets), each once. */
async function outputsOf(repo: Repo, targets: string[], opts: SyncOptions & { forPush?: boolean }): Promise<HashInfo[]> {
  const seen = new Set<string>();
  const outs: HashInfo[] = [];
  const list = opts.glob ? globTargets(targets) : targets;
  for (const info of await collectGranular(repo, list, { recursive: opts.recursive, withDeps: opts.withDeps })) {
    for (const o of info.stage.outs) {
      if (info.outs && !info.outs.has(o)) continue;
      if (!o.useCache || !o.hash.value) continue;
      if (opts.forPush && o.flags.push === false) continue;
      const key = `${o.hash.name}:${o.hash.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      outs.push(o.hash);
    }
  }
  return outs;
}

async function present(odb: ObjectDB, oids: string[]): Promise<Set<string>> {
  if (oids.length === 0) return new Set();
  return (await odb.checkMany(oids)).ok;
}

/** Copy one object, verifying its content against its name. False when it did not match. */
async function copyObject(src: ObjectDB, dst: ObjectDB, oid: string): Promise<boolean> {
  const p = src.oidToPath(oid);
  if (oid.endsWith(".dir")) {
    const data = fs.readFileSync(p);
    if (`${hashBytes(data, src.hashName)}.dir` !== oid) return false;
    await dst.addBytes(oid, data);
    return true;
  }
  const fh = await dst.addFile(p);
  if (fh.hash === oid) return true;
  if (fh.stored) await dst.remove([fh.hash]);
  return false;
}

async function loadTreeFrom(odbs: ObjectDB[], oid: string): Promise<TreeEntry[] | null> {
  for (const odb of odbs) {
    if (!(await present(odb, [oid])).has(oid)) continue;
    try {
      return await odb.loadTree(oid);
    } catch {
      // corrupted or unsafe: try the other side
    }
  }
  return null;
}

/**
 * Copy the objects of `outs` from `srcOf` to `dstOf` stores. `dstIsRemote`: a `.dir` already on
 * the destination stands for all its files (only ever true of remotes).
 */
async function transfer(
  hashes: HashInfo[],
  srcOf: (n: HashName) => ObjectDB,
  dstOf: (n: HashName) => ObjectDB,
  dstIsRemote: boolean,
): Promise<TransferReport> {
  const report: TransferReport = { count: 0, missing: [] };
  const plain: HashInfo[] = [];
  for (const h of hashes) {
    const { name, value: oid } = h;
    const src = srcOf(name);
    const dst = dstOf(name);
    if (!oid.endsWith(".dir")) {
      plain.push(h);
      continue;
    }
    const dirOnDst = (await present(dst, [oid])).has(oid);
    if (dirOnDst && dstIsRemote) continue;
    const entries = await loadTreeFrom(dirOnDst ? [dst, src] : [src, dst], oid);
    if (!entries) {
      report.missing.push({ name, oid });
      continue;
    }
    const files = [...new Set(entries.map((e) => e.md5))];
    const onDst = await present(dst, files);
    const need = files.filter((f) => !onDst.has(f));
    const onSrc = await present(src, need);
    let complete = true;
    for (const f of need) {
      if (onSrc.has(f) && (await copyObject(src, dst, f))) report.count++;
      else {
        complete = false;
        report.missing.push({ name, oid: f });
      }
    }
    if (complete && !dirOnDst) {
      if (await copyObject(src, dst, oid)) report.count++;
      else report.missing.push({ name, oid });
    }
  }
  for (const { name, value: oid } of plain) {
    const src = srcOf(name);
    const dst = dstOf(name);
    if ((await present(dst, [oid])).has(oid)) continue;
    if ((await present(src, [oid])).has(oid) && (await copyObject(src, dst, oid))) report.count++;
    else report.missing.push({ name, oid });
  }
  return report;
}

const HEX2 = /^[0-9a-f]{2}$/;
const HEX64 = /^[0-9a-f]{64}$/;

function listDir(p: string): string[] {
  try {
    return fs.readdirSync(p);
  } catch {
    return [];
  }
}

/** Copy run-cache entries (`runs/XX/KEY/VALUE`, well-formed names only) missing on the other side. */
function transferRuns(srcRuns: string, dstRuns: string): number {
  let n = 0;
  for (const pre of listDir(srcRuns)) {
    if (!HEX2.test(pre)) continue;
    for (const key of listDir(path.join(srcRuns, pre))) {
      if (!HEX64.test(key) || !key.startsWith(pre)) continue;
      for (const value of listDir(path.join(srcRuns, pre, key))) {
        if (!HEX64.test(value)) continue;
        const src = path.join(srcRuns, pre, key, value);
        const dst = path.join(dstRuns, pre, key, value);
        if (fs.existsSync(dst)) continue;
        let data: Buffer;
        try {
          if (!fs.statSync(src).isFile()) continue;
          data = fs.readFileSync(src);
        } catch {
          continue;
        }
        fs.mkdirSync(path.dirname(dst), { recursive: true });
        writeFileAtomicSync(dst, data);
        n++;
      }
    }
  }
  return n;
}

function warnMissing(repo: Repo, missing: MissingObject[]): void {
  if (!missing.length) return;
  repo.onWarning(
    "Some of the cache files do not exist neither locally nor on remote. Missing cache files:\n" +
      missing.map((m) => `${m.name}: ${m.oid}`).join("\n"),
  );
}

export async function push(repo: Repo, targets: string[], opts: SyncOptions = {}): Promise<TransferReport> {
  const remote = remoteOf(repo, opts.remote, "push");
  let runs = 0;
  if (opts.runCache) runs = transferRuns(path.join(repo.cacheDir, "runs"), remote.runsDir);
  const outs = await outputsOf(repo, targets, { ...opts, forPush: true });
  const report = await transfer(outs, (n) => odbFor(repo, n), (n) => remote.odb(n), true);
  warnMissing(repo, report.missing);
  report.count += runs;
  return report;
}

export async function fetch(repo: Repo, targets: string[], opts: SyncOptions = {}): Promise<TransferReport> {
  const remote = remoteOf(repo, opts.remote, "fetch");
  if (opts.runCache) transferRuns(remote.runsDir, path.join(repo.cacheDir, "runs"));
  return fetchInto(repo, remote, await outputsOf(repo, targets, opts));
}

/** Fetch the objects of these hashes from the default remote (`repro --pull` restoring a stage). */
export async function fetchObjects(repo: Repo, hashes: HashInfo[]): Promise<TransferReport> {
  return fetchInto(repo, remoteOf(repo, null, "fetch"), hashes);
}

async function fetchInto(repo: Repo, remote: LocalRemote, hashes: HashInfo[]): Promise<TransferReport> {
  const report = await transfer(hashes, (n) => remote.odb(n), (n) => odbFor(repo, n), false);
  warnMissing(repo, report.missing);
  return report;
}

/** Fetch the run cache only (`repro --pull`). */
export function fetchRunCache(repo: Repo, remoteName?: string | null): number {
  const remote = remoteOf(repo, remoteName, "fetch");
  return transferRuns(remote.runsDir, path.join(repo.cacheDir, "runs"));
}

export interface PullResult {
  fetched: number;
  checkout: CheckoutResult;
}

/** A pull whose checkout failed: DVC reports what was fetched and checked out before the error. */
export class PullCheckoutError extends CheckoutError {
  constructor(
    readonly fetched: number,
    cause: CheckoutError,
  ) {
    super(cause.failed, cause.result);
  }
}

/** Fetch, then check out. */
export async function pull(
  repo: Repo,
  targets: string[],
  opts: SyncOptions & { force?: boolean; allowMissing?: boolean } = {},
): Promise<PullResult> {
  const fetched = (await fetch(repo, targets, opts)).count;
  const list = opts.glob ? globTargets(targets) : targets;
  try {
    const co = await checkout(repo, list, { force: opts.force, recursive: opts.recursive, allowMissing: opts.allowMissing, withDeps: opts.withDeps });
    return { fetched, checkout: co };
  } catch (e) {
    throw e instanceof CheckoutError ? new PullCheckoutError(fetched, e) : e;
  }
}
