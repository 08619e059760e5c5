// Outputs <-> data layer: hash a workspace path (file or directory) the way an output records
// it, commit it to the cache (hashing and copying in one pass), check the cache, plan and apply
// checkouts, and list the objects an output uses. Legacy (2.x, md5-dos2unix) outputs use the
// legacy object database.
import * as fs from "node:fs";
import * as path from "node:path";
import { DvcException } from "../errors.js";
import { hashFile, type FileHash } from "../data/hash.js";
import { buildTree, makeTree, type TreeEntry, type BuiltTree } from "../data/tree.js";
import { checkoutFile, checkoutTree, planTreeCheckout, relinkFile, unprotect, safeJoin } from "../data/checkout.js";
import type { ObjectDB } from "../data/odb.js";
import type { HashInfo, HashName, Meta, Output } from "../stage/output.js";
import type { Repo } from "./repo.js";

export interface Computed {
  hash: HashInfo;
  meta: Meta;
  /** Directories: the tree built from the workspace. */
  tree?: BuiltTree;
  /** Files: the hash and stat of the workspace file. */
  file?: FileHash | { hash: string; size: number; ino: bigint; mtimeNs: bigint; isexec: boolean };
}

/** The cache's object store for entries hashed with `name` (legacy layout for md5-dos2unix). */
export function odbFor(repo: Repo, name: HashName): ObjectDB {
  return repo.odb(name === "md5-dos2unix");
}

function statOrNull(p: string): fs.BigIntStats | null {
  try {
    return fs.statSync(p, { bigint: true });
  } catch {
    return null;
  }
}

/** DVC's "output is not a file or directory" and broken-symlink cases surface as missing. */
async function hashWorkspaceFile(repo: Repo, abs: string, st: fs.BigIntStats, name: HashName): Promise<Computed> {
  const key = { ino: st.ino, mtimeNs: st.mtimeNs, size: Number(st.size) };
  let hash = repo.state.lookup(abs, key, name);
  if (!hash) {
    hash = (await hashFile(abs, name)).hash;
    repo.state.set(abs, key, name, hash);
  }
  const isexec = (Number(st.mode) & 0o111) !== 0;
  const meta: Meta = { size: Number(st.size) };
  if (isexec) meta.isexec = true;
  return { hash: { name, value: hash }, meta, file: { hash, size: Number(st.size), ino: st.ino, mtimeNs: st.mtimeNs, isexec } };
}

/** Hash a workspace path as an output records it; null when it does not exist. */
export async function computeOutput(repo: Repo, abs: string, name: HashName = "md5", opts: { expectFiles?: number } = {}): Promise<Computed | null> {
  const st = statOrNull(abs);
  if (!st) return null;
  if (st.isDirectory()) {
    const bar = repo.progress(`Computing hashes of ${repo.rel(abs)}`);
    try {
      const tree = await buildTree(abs, {
        ignore: await repo.dvcignore(),
        state: repo.state,
        hashName: name,
        expectFiles: opts.expectFiles,
        onProgress: (d, t) => bar.update(d, t),
      });
      return { hash: { name, value: tree.oid }, meta: { size: tree.size, nfiles: tree.nfiles }, tree };
    } finally {
      bar.done();
    }
  }
  if (!st.isFile()) throw new DvcException(`output '${repo.rel(abs)}' is not a file or directory`);
  return hashWorkspaceFile(repo, abs, st, name);
}

/**
 * Hash and store an output in one pass (`dvc add`/`commit`): directories are hashed while their
 * files are copied into the cache; a file is copied into the cache while it is hashed unless the
 * state already knows it and the object exists. Returns null when the path does not exist.
 */
export async function saveOutput(repo: Repo, abs: string, name: HashName, opts: { commit: boolean }): Promise<Computed | null> {
  const st = statOrNull(abs);
  if (!st) return null;
  const odb = odbFor(repo, name);
  if (st.isDirectory()) {
    const bar = repo.progress(`Adding ${repo.rel(abs)}`);
    try {
      const tree = await buildTree(abs, {
        ignore: await repo.dvcignore(),
        state: repo.state,
        hashName: name,
        odb: opts.commit ? odb : undefined,
        onProgress: (d, t) => bar.update(d, t),
      });
      return { hash: { name, value: tree.oid }, meta: { size: tree.size, nfiles: tree.nfiles }, tree };
    } finally {
      bar.done();
    }
  }
  if (!st.isFile()) throw new DvcException(`output '${repo.rel(abs)}' is not a file or directory`);
  const key = { ino: st.ino, mtimeNs: st.mtimeNs, size: Number(st.size) };
  const known = repo.state.lookup(abs, key, name);
  if (!opts.commit || name !== "md5" || (known && (await odb.exists(known)))) {
    return hashWorkspaceFile(repo, abs, st, name);
  }
  const fh = await odb.addFile(abs);
  repo.state.set(abs, { ino: fh.ino, mtimeNs: fh.mtimeNs, size: fh.size }, name, fh.hash);
  const isexec = (Number(st.mode) & 0o111) !== 0;
  const meta: Meta = { size: fh.size };
  if (isexec) meta.isexec = true;
  return { hash: { name, value: fh.hash }, meta, file: { hash: fh.hash, size: fh.size, ino: fh.ino, mtimeNs: fh.mtimeNs, isexec } };
}

/**
 * Make sure an output's data is in the cache and, for single files, relink the workspace copy
 * (a fresh file with umask mode, plus u+x when executable) as `dvc add`/`commit` do.
 */
export async function commitOutput(repo: Repo, out: Output, computed: Computed, opts: { relink: boolean }): Promise<void> {
  const odb = odbFor(repo, computed.hash.name);
  const types = repo.linkTypes;
  if (computed.tree) {
    if (!(await odb.exists(computed.tree.oid))) {
      // Not stored while hashing (e.g. computed for status): store the files now.
      await buildTree(out.absPath, { ignore: await repo.dvcignore(), state: repo.state, hashName: computed.hash.name, odb });
    }
    if (opts.relink && types[0] !== "copy" && types[0] !== "reflink") {
      await checkoutTree(out.absPath, computed.tree.entries, odb, { types, state: repo.state, relink: true, hashName: computed.hash.name });
    }
    return;
  }
  const oid = computed.hash.value;
  if (!(await odb.exists(oid))) await odb.addFile(out.absPath, { oid });
  if (opts.relink && computed.file) {
    await relinkFile(out.absPath, oid, odb, {
      types,
      isexec: computed.file.isexec,
      state: repo.state,
      hashed: { ino: computed.file.ino, mtimeNs: computed.file.mtimeNs, size: computed.file.size },
    });
  }
}

/** Whether every object of `hash` is in the cache and valid (the 0444 trust rule applies). */
export async function inCache(repo: Repo, hash: HashInfo): Promise<boolean> {
  const odb = odbFor(repo, hash.name);
  if (hash.value.endsWith(".dir")) return odb.treeComplete(hash.value);
  try {
    await odb.check(hash.value);
    return true;
  } catch {
    return false;
  }
}

export interface CheckoutPlan {
  /** What checkout does to the output: creates it, changes it, or nothing. */
  kind: "added" | "modified" | null;
  /** Workspace files that would be overwritten or deleted although not in the cache. */
  unsaved: string[];
  /** The output's objects are not (all) in the cache. */
  missingCache: boolean;
  apply(): Promise<{ added: number; modified: number; deleted: number }>;
}

const NOTHING = { added: 0, modified: 0, deleted: 0 };

async function notInCache(odb: ObjectDB, files: string[], name: HashName): Promise<string[]> {
  const unsaved: string[] = [];
  for (const f of files) {
    let h: string;
    try {
      h = (await hashFile(f, name)).hash;
    } catch {
      continue;
    }
    if (!(await odb.exists(h))) unsaved.push(f);
  }
  return unsaved;
}

export async function planCheckout(repo: Repo, out: Output, opts: { relink?: boolean; inside?: string } = {}): Promise<CheckoutPlan> {
  const name = out.hash.name;
  const odb = odbFor(repo, name);
  const types = repo.linkTypes;
  const oid = out.hash.value;
  if (!out.isDirHash) {
    const dry = await checkoutFile(out.absPath, oid, odb, { types, state: repo.state, hashName: name, isexec: out.meta.isexec, relink: opts.relink, dryRun: true });
    if (dry.status === "unchanged" && !opts.relink) {
      // checkoutFile(dryRun) leaves the exec bit alone; fix it like a real checkout would.
      await checkoutFile(out.absPath, oid, odb, { types, state: repo.state, hashName: name, isexec: out.meta.isexec });
      return { kind: null, unsaved: [], missingCache: false, apply: async () => NOTHING };
    }
    if (dry.status === "missing" || !(await inCache(repo, out.hash))) {
      return { kind: null, unsaved: [], missingCache: true, apply: async () => NOTHING };
    }
    const unsaved = dry.status === "modified" ? await notInCache(odb, [out.absPath], name) : [];
    const kind = dry.status === "added" ? "added" : "modified";
    return {
      kind,
      unsaved,
      missingCache: false,
      apply: async () => {
        const r = await checkoutFile(out.absPath, oid, odb, { types, state: repo.state, hashName: name, isexec: out.meta.isexec, relink: opts.relink });
        if (r.status === "missing" || r.status === "corrupted") throw new DvcException(`failed to create '${repo.rel(out.absPath)}'`);
        return r.status === "added" ? { added: 1, modified: 0, deleted: 0 } : { added: 0, modified: 1, deleted: 0 };
      },
    };
  }
  if (!(await inCache(repo, out.hash))) return { kind: null, unsaved: [], missingCache: true, apply: async () => NOTHING };
  const entries = await odb.loadTree(oid);
  for (const e of entries) safeJoin(out.absPath, e.relpath);
  const ignore = await repo.dvcignore();
  let bar: ReturnType<Repo["progress"]> | undefined;
  const dry = await planTreeCheckout(out.absPath, entries, odb, {
    types,
    state: repo.state,
    ignore,
    hashName: name,
    removeExtra: true,
    relink: opts.relink,
    onProgress: (d, t) => bar?.update(d, t),
  });
  if (dry.missing.length || dry.corrupted.length) return { kind: null, unsaved: [], missingCache: true, apply: async () => NOTHING };
  const changed = dry.added.length + dry.modified.length + dry.deleted.length;
  if (!dry.created && changed === 0 && !opts.relink) return { kind: null, unsaved: [], missingCache: false, apply: async () => NOTHING };
  const unsaved = await notInCache(
    odb,
    [...dry.modified, ...dry.deleted].map((r) => path.join(out.absPath, r)),
    name,
  );
  return {
    kind: dry.created ? "added" : "modified",
    unsaved,
    missingCache: false,
    apply: async () => {
      bar = repo.progress(`Checkout ${repo.rel(out.absPath)}`);
      let r;
      try {
        r = await dry.apply();
      } finally {
        bar.done();
      }
      if (r.missing.length || r.corrupted.length) throw new DvcException(`failed to create '${repo.rel(out.absPath)}'`);
      return { added: r.added.length, modified: r.modified.length, deleted: r.deleted.length };
    },
  };
}

/** Add or update one file inside a tracked directory output (`dvc add dir/file`). */
export async function addFileToDirOutput(repo: Repo, out: Output, fileAbs: string, opts: { noCommit?: boolean }): Promise<void> {
  const name = out.hash.name;
  const odb = odbFor(repo, name);
  let entries: TreeEntry[] = [];
  if (out.hash.value) {
    try {
      entries = await odb.loadTree(out.hash.value);
    } catch {
      entries = [];
    }
  }
  const rel = path.relative(out.absPath, fileAbs).split(path.sep).join("/");
  const st = statOrNull(fileAbs);
  if (!st) throw new DvcException(`output '${repo.rel(fileAbs)}' does not exist`);
  const c = opts.noCommit ? await computeOutput(repo, fileAbs, name) : await saveOutput(repo, fileAbs, name, { commit: true });
  if (!c) throw new DvcException(`output '${repo.rel(fileAbs)}' does not exist`);
  const rest = entries.filter((e) => e.relpath !== rel && !e.relpath.startsWith(rel + "/"));
  const tree = makeTree([...rest, { relpath: rel, md5: c.hash.value }]);
  if (!opts.noCommit) await odb.addBytes(tree.oid, tree.bytes);
  out.hash = { name, value: tree.oid };
  // DVC updates nfiles but not size when a file is added into a tracked directory.
  out.meta = { nfiles: tree.nfiles };
}

/** Every object an output uses: the file, or the `.dir` object and its entries. */
export async function usedObjects(repo: Repo, hash: HashInfo): Promise<string[]> {
  if (!hash.value.endsWith(".dir")) return [hash.value];
  try {
    const entries = await odbFor(repo, hash.name).loadTree(hash.value);
    return [hash.value, ...entries.map((e) => e.md5)];
  } catch {
    return [hash.value];
  }
}

/** Remove cache objects not in `used`; per DVC cache scheme, how many were removed. */
export async function removeUnusedObjects(repo: Repo, used: Set<string>, opts: { dry?: boolean } = {}): Promise<[string, number][]> {
  const result: [string, number][] = [];
  for (const [scheme, odb] of [
    ["repo", repo.odb(false)],
    ["local", null],
    ["legacy", repo.odb(true)],
  ] as const) {
    if (!odb) {
      result.push([scheme, 0]);
      continue;
    }
    const unused = (await odb.listOids()).filter((o) => !used.has(o));
    result.push([scheme, opts.dry ? unused.length : await odb.remove(unused)]);
  }
  return result;
}

/** `dvc unprotect` of an output (or a path inside it). */
export async function unprotectOutput(repo: Repo, out: Output, sub?: string): Promise<void> {
  const target = sub ?? out.absPath;
  if (!fs.existsSync(target)) return;
  await unprotect(target, repo.odb().fileMode);
}
