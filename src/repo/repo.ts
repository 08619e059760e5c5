// A DVC repository opened from a directory: its root, config, git, cache and ignore rules,
// each created on first use so that cheap commands stay cheap.
import { statSync } from "node:fs";
import * as path from "node:path";
import { NotDvcRepoError } from "../errors.js";
import { Git, findGitRoot } from "./scm.js";
import { RepoLock } from "./lock.js";
import { Config } from "./config.js";
import { DvcIgnoreFilter } from "../data/ignore.js";
import { ObjectDB } from "../data/odb.js";
import { StateStore } from "../data/state.js";
import { parseLinkTypes, type LinkType } from "../data/checkout.js";
import type { PipelineFile } from "../pipeline/load.js";
import { invalidateStages } from "./index.js";
import { useYamlCache } from "../yaml/load.js";

const openRepos = new Set<Repo>();

/** Persist what open repos learned (hash state); called when a command ends. */
export function closeAllRepos(): void {
  for (const r of openRepos) r.close();
  openRepos.clear();
}

function isDirSync(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Walk up from `start` to the directory holding `.dvc/`, stopping at the mount point. */
export function findRoot(start: string): string {
  let cur = path.resolve(start);
  let dev: number | undefined;
  for (;;) {
    if (isDirSync(path.join(cur, ".dvc"))) return cur;
    const parent = path.dirname(cur);
    let mount = parent === cur;
    if (!mount) {
      try {
        const d = statSync(cur).dev;
        const pd = statSync(parent).dev;
        dev = d;
        mount = d !== pd;
      } catch {
        mount = true;
      }
    }
    if (mount) {
      void dev;
      throw new NotDvcRepoError(`you are not inside of a DVC repository (checked up to mount point '${cur}')`);
    }
    cur = parent;
  }
}

export class Repo {
  readonly dvcDir: string;
  readonly tmpDir: string;
  private _git: Git | null | undefined;
  private _lock: RepoLock | undefined;
  private _config: Config | undefined;
  private _ignore: DvcIgnoreFilter | undefined;
  private _state: StateStore | undefined;
  private _odb: ObjectDB | undefined;
  private _legacyOdb: ObjectDB | undefined;
  private readonly pipelines = new Map<string, Promise<PipelineFile>>();

  private constructor(readonly root: string) {
    this.dvcDir = path.join(root, ".dvc");
    this.tmpDir = path.join(this.dvcDir, "tmp");
    // Parsed dvc.yaml / dvc.lock files are kept (by content hash) beside our hash state.
    useYamlCache(path.join(this.tmpDir, "dvc-ts", "yaml"));
  }

  static open(dir: string = process.cwd()): Repo {
    const r = new Repo(findRoot(dir));
    openRepos.add(r);
    return r;
  }

  /** The .dvcignore filter (built-ins and every .dvcignore, read lazily). */
  async dvcignore(): Promise<DvcIgnoreFilter> {
    if (!this._ignore) this._ignore = new DvcIgnoreFilter(this.root);
    return this._ignore;
  }

  /** Our hash state store (.dvc/tmp): unchanged files are not re-read. */
  get state(): StateStore {
    if (!this._state) this._state = StateStore.open(this.root);
    return this._state;
  }

  /** The cache root: `cache.dir` or `.dvc/cache`. */
  get cacheDir(): string {
    return this.config.cacheDir ?? path.join(this.dvcDir, "cache");
  }

  /** The 3.x object database (`files/md5`), or the legacy 2.x one. */
  odb(legacy = false): ObjectDB {
    const shared = this.config.cacheShared === "group";
    if (legacy) {
      if (!this._legacyOdb) this._legacyOdb = new ObjectDB(this.cacheDir, { legacy: true, shared, state: this.state });
      return this._legacyOdb;
    }
    if (!this._odb) this._odb = new ObjectDB(this.cacheDir, { shared, state: this.state });
    return this._odb;
  }

  /** A dvc.yaml loaded once per command (stages resolved, dvc.lock attached). */
  async pipelineFile(file: string): Promise<PipelineFile> {
    let p = this.pipelines.get(file);
    if (!p) {
      const parsing = {
        list: this.config.getString("parsing", "list") as "nargs" | "append" | undefined,
        bool: this.config.getString("parsing", "bool") as "store_true" | "boolean_optional" | undefined,
      };
      // Loaded on demand: commands on `.dvc` data never load the pipeline machinery.
      p = import("../pipeline/load.js").then((m) => m.loadPipelineFile(this.root, file, { parsing, warn: this.onWarning }));
      this.pipelines.set(file, p);
    }
    return p;
  }

  /** Forget a loaded dvc.yaml (after it or its lock file was rewritten). */
  forgetPipelineFile(file: string): void {
    this.pipelines.delete(file);
  }

  /** Progress of long work (the CLI draws a bar on a TTY); a no-op by default. */
  progress: (label: string) => { update(done: number, total: number): void; done(): void } = () => ({
    update() {},
    done() {},
  });

  /** Where the core reports warnings (the CLI prints them). */
  onWarning: (msg: string) => void = () => {};

  /** `cache.type` as link types (default reflink,copy). */
  get linkTypes(): LinkType[] {
    return parseLinkTypes(this.config.cacheTypes);
  }

  /** Save the state store; release the lock. */
  close(): void {
    try {
      this._state?.save();
    } catch {
      /* the state is an optimisation only */
    }
    this.unlock();
    // a later call (library use) sees the files as they are then
    this.pipelines.clear();
    invalidateStages(this);
    this._ignore = undefined;
    openRepos.delete(this);
  }

  /** The merged configuration (system, global, repo, local). */
  get config(): Config {
    if (!this._config) this._config = Config.load(this.dvcDir);
    return this._config;
  }

  /** `core.autostage` (async for symmetry with the other lazy parts). */
  async autostage(): Promise<boolean> {
    return this.config.autostage;
  }

  /** The git repository, or null with `core.no_scm` / outside git. */
  get git(): Git | null {
    if (this._git === undefined && this.config.noScm) this._git = null;
    if (this._git === undefined) {
      const gitRoot = findGitRoot(this.root);
      this._git = gitRoot ? new Git(gitRoot) : null;
    }
    return this._git;
  }

  /** Take the repo lock for a writing command; released at exit. */
  async lock(): Promise<void> {
    if (!this._lock) this._lock = await RepoLock.forRepo(this.tmpDir);
    this._lock.acquire();
    const l = this._lock;
    process.once("exit", () => l.release());
  }

  unlock(): void {
    this._lock?.release();
  }

  /** Path relative to the current directory, as DVC prints it. */
  rel(abs: string): string {
    return path.relative(process.cwd(), abs) || ".";
  }
}
