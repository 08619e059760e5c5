// The typed library API: `import { Repo } from "dvc-ts"`.
//
//   const repo = await Repo.open("path/to/project");
//   const result = await repo.reproduce(["train"], { force: true });
//   const status = await repo.status();
//
// Everything the CLI does is available here without console output: messages a command would
// print are delivered to the optional `onMessage` callback.
import { Repo as CoreRepo } from "./repo/repo.js";
import { reproduce as coreReproduce, type ReproOptions } from "./repo/reproduce.js";
import { repoStatus } from "./repo/repo-status.js";
import { ScmContext } from "./repo/scm-context.js";
import { add as coreAdd, type AddOptions } from "./repo/add.js";
import { checkout as coreCheckout, type CheckoutOptions, type CheckoutResult } from "./repo/checkout.js";
import type { StatusValue } from "./repo/status-format.js";
import { fetch as coreFetch, pull as corePull, push as corePush, type SyncOptions, type TransferReport, type PullResult } from "./repo/data-sync.js";
import type { Stage } from "./stage/stage.js";

export { DvcException, NotDvcRepoError } from "./errors.js";
export type { ReproOptions, AddOptions, CheckoutOptions, CheckoutResult, StatusValue, SyncOptions, TransferReport, PullResult };

export interface MessageSink {
  /** What the CLI would print as INFO (stdout) or WARNING (stderr). */
  onMessage?: (level: "info" | "warning", text: string) => void;
}

export interface ReproduceResult {
  /** Stages whose command ran (or, for `.dvc` files and frozen stages, whose data was verified
   * and committed), by addressing, in the order they ended. With `dry`: would run. */
  ran: string[];
  /** Stages whose outputs were restored from dvc.lock or the run cache instead of running. */
  restored: string[];
  /** `ran` and `restored` together, in the order they ended. */
  reproduced: string[];
  /** Stages that were planned but did not change. */
  skipped: string[];
  /** Stages that failed (only with keepGoing / ignoreErrors). */
  failed: string[];
  /** Files the CLI would suggest to `git add`. */
  gitFiles: string[];
}

export class Repo {
  private constructor(private readonly core: CoreRepo) {}

  /** Open the DVC repository containing `dir` (default: the current directory). */
  static async open(dir: string = process.cwd()): Promise<Repo> {
    return new Repo(CoreRepo.open(dir));
  }

  get root(): string {
    return this.core.root;
  }

  /** `dvc repro`: targets default to ./dvc.yaml. */
  async reproduce(targets: string[] = [], options: ReproOptions & MessageSink = {}): Promise<ReproduceResult> {
    const say = options.onMessage ?? (() => {});
    this.core.onWarning = (t) => say("warning", t);
    await this.core.lock();
    const scm = new ScmContext(this.core);
    try {
      const r = await coreReproduce(
        this.core,
        targets,
        options,
        {
          info: (t) => say("info", t),
          warn: (t) => say("warning", t),
          confirm: async () => false,
        },
        scm,
      );
      const gitFiles = [...scm.files];
      scm.finish(await this.core.autostage());
      const names = (list: Stage[]): string[] => list.map((s) => s.addressing);
      const restored = new Set(r.restored);
      return {
        ran: names(r.reproduced.filter((s) => !restored.has(s))),
        restored: names(r.restored),
        reproduced: names(r.reproduced),
        skipped: names(r.skipped),
        failed: r.failed.map((s: Stage) => s.addressing),
        gitFiles,
      };
    } catch (e) {
      await scm.rollback();
      throw e;
    } finally {
      this.close();
    }
  }

  /** `dvc status` (local): stage addressing -> its changes; empty when up to date. */
  async status(targets: string[] = [], options: { withDeps?: boolean; recursive?: boolean } = {}): Promise<Map<string, StatusValue>> {
    try {
      return (await repoStatus(this.core, targets, options)).result;
    } finally {
      this.close();
    }
  }

  /** `dvc add`: returns the .dvc files written. */
  async add(targets: string[], options: AddOptions = {}): Promise<string[]> {
    await this.core.lock();
    const scm = new ScmContext(this.core);
    try {
      const stages = await coreAdd(this.core, targets, options, scm);
      scm.finish(await this.core.autostage());
      return stages.map((s) => s.file);
    } finally {
      this.close();
    }
  }

  /** `dvc checkout`. */
  async checkout(targets: string[] = [], options: CheckoutOptions = {}): Promise<CheckoutResult> {
    await this.core.lock();
    try {
      return await coreCheckout(this.core, targets, options);
    } finally {
      this.close();
    }
  }

  /** `dvc push` to a local remote (`remote`, else the default one): objects copied, objects missing. */
  async push(targets: string[] = [], options: SyncOptions & MessageSink = {}): Promise<TransferReport> {
    return this.sync(options, () => corePush(this.core, targets, options));
  }

  /** `dvc fetch`: remote objects into the cache. */
  async fetch(targets: string[] = [], options: SyncOptions & MessageSink = {}): Promise<TransferReport> {
    return this.sync(options, () => coreFetch(this.core, targets, options));
  }

  /** `dvc pull`: fetch, then checkout (a CheckoutError when some data is missing everywhere). */
  async pull(targets: string[] = [], options: SyncOptions & MessageSink & { force?: boolean; allowMissing?: boolean } = {}): Promise<PullResult> {
    return this.sync(options, () => corePull(this.core, targets, options));
  }

  private async sync<T>(options: MessageSink, fn: () => Promise<T>): Promise<T> {
    const say = options.onMessage ?? (() => {});
    this.core.onWarning = (t) => say("warning", t);
    await this.core.lock();
    try {
      return await fn();
    } finally {
      this.close();
    }
  }

  /** Persist caches and release the lock (done after each call). */
  close(): void {
    this.core.close();
  }
}
