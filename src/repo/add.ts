// `dvc add` (dvc/repo/add.py): create or update the `.dvc` file next to each target, hash the
// data, commit it to the cache, relink it into the workspace and git-ignore it.
import { promises as fsp, lstatSync } from "node:fs";
import * as path from "node:path";
import { DvcException } from "../errors.js";
import { isSubpath, relPosix } from "../util/fs.js";
import { globTargets } from "../util/glob.js";
import { pyRepr } from "../util/py.js";
import { DvcFileStage, loadDvcFile, writeDvcFile } from "../stage/dvcfile.js";
import { Output } from "../stage/output.js";
import { collectDvcFileStages } from "./index.js";
import type { Repo } from "./repo.js";
import { saveOutput, commitOutput, addFileToDirOutput } from "./workspace.js";
import type { ScmContext } from "./scm-context.js";

export interface AddOptions {
  noCommit?: boolean;
  glob?: boolean;
  out?: string;
  force?: boolean;
}

const SYMLINK_MSG =
  "Cannot add files inside symlinked directories to DVC. See <https://dvc.org/doc/user-guide/troubleshooting#add-symlink> for more information.";

function containsSymlinkUpTo(dir: string, root: string): boolean {
  for (let d = dir; isSubpath(d, root) && d !== root; d = path.dirname(d)) {
    try {
      if (lstatSync(d).isSymbolicLink()) return true;
    } catch {
      return false;
    }
  }
  return false;
}

interface Planned {
  stage: DvcFileStage;
  out: Output;
  /** For a target inside an already tracked directory: that file. */
  inside?: string;
  source?: string;
}

export async function add(repo: Repo, targets: string[], opts: AddOptions, scm: ScmContext): Promise<DvcFileStage[]> {
  if (opts.glob) targets = globTargets(targets);
  if (targets.length === 0) return [];
  if (opts.out && targets.length !== 1) throw new DvcException("multiple targets can't be used with --out");
  const existing = await collectDvcFileStages(repo);
  const ignore = await repo.dvcignore();
  const planned: Planned[] = [];
  for (const target of targets) {
    let abs = path.resolve(target);
    let source: string | undefined;
    if (opts.out) {
      source = abs;
      abs = path.resolve(opts.out);
    }
    if (!isSubpath(abs, repo.root)) {
      throw new DvcException(
        `Cached output(s) outside of DVC project: ${relPosix(process.cwd(), abs)}. See <https://dvc.org/doc/user-guide/pipelines/external-dependencies-and-outputs> for more info.`,
      );
    }
    if (containsSymlinkUpTo(path.dirname(abs), repo.root)) throw new DvcException(SYMLINK_MSG);
    const hit = ignore.explain(abs);
    if (hit) throw new DvcException(`Path '${abs}' is ignored by ${hit}`);
    if (abs.endsWith(".dvc") || path.basename(abs) === "dvc.yaml" || path.basename(abs) === "dvc.lock") {
      throw new DvcException(`DVC file '${target}' cannot be an output.`);
    }
    // An existing output (re-add) or a file inside a tracked directory.
    let found: Planned | undefined;
    for (const st of existing) {
      for (const o of st.outs) {
        if (o.absPath === abs) found = { stage: st, out: o, source };
        else if (isSubpath(abs, o.absPath)) found = { stage: st, out: o, inside: abs, source };
      }
    }
    if (!found) {
      const file = abs + ".dvc";
      let stage: DvcFileStage;
      try {
        stage = await loadDvcFile(repo.root, file);
      } catch {
        stage = new DvcFileStage(repo.root, file);
      }
      const out = new Output(path.basename(abs), abs);
      stage.outs = [out];
      found = { stage, out, source };
    }
    planned.push(found);
  }
  // Outputs may not overlap one another (dvc/repo/add.py: translate_graph_error).
  for (const p of planned) {
    if (p.inside) continue;
    for (const st of existing) {
      for (const o of st.outs) {
        if (o.absPath === p.out.absPath) continue;
        if (isSubpath(o.absPath, p.out.absPath)) {
          const parent = repo.rel(p.out.absPath);
          const child = repo.rel(o.absPath);
          throw new DvcException(
            `Cannot add '${parent}', because it is overlapping with other DVC tracked output: '${child}'.\n` +
              `To include '${child}' in '${parent}', run 'dvc remove ${st.addressing}' and then 'dvc add ${parent}'`,
          );
        }
      }
    }
  }
  const git = repo.git;
  if (git) {
    const tracked = git.tracked(planned.filter((p) => !p.inside).map((p) => p.out.absPath));
    for (const p of planned) {
      if (tracked.has(p.out.absPath)) {
        const rel = repo.rel(p.out.absPath);
        throw new DvcException(
          ` output '${rel}' is already tracked by SCM (e.g. Git).\n    You can remove it from Git, then add to DVC.\n        To stop tracking from Git:\n            git rm -r --cached '${rel}'\n            git commit -m "stop tracking ${rel}" `,
        );
      }
    }
  }
  for (const p of planned) {
    if (p.source) await copyIntoPlace(p.source, p.out.absPath);
    if (p.inside) {
      await addFileToDirOutput(repo, p.out, p.inside, { noCommit: opts.noCommit });
    } else {
      // An unchanged 2.x entry stays as it is; a changed one becomes a 3.x (md5) entry.
      const prev = p.out.hash;
      let computed = await saveOutput(repo, p.out.absPath, prev.value ? prev.name : "md5", { commit: !opts.noCommit });
      if (computed && computed.hash.name !== "md5" && computed.hash.value !== prev.value) {
        computed = await saveOutput(repo, p.out.absPath, "md5", { commit: !opts.noCommit });
      }
      if (!computed) throw new DvcException(`output '${repo.rel(p.out.absPath)}' does not exist`);
      p.out.hash = computed.hash;
      p.out.meta = computed.meta;
      if (!opts.noCommit) await commitOutput(repo, p.out, computed, { relink: true });
      await scm.ignore(p.out.absPath);
    }
    await writeDvcFile(p.stage);
    scm.track(p.stage.file);
  }
  return planned.map((p) => p.stage);
}

async function copyIntoPlace(source: string, dest: string): Promise<void> {
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  await fsp.cp(source, dest, { recursive: true, force: true, errorOnExist: false });
}
