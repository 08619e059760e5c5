// Remotes (dvc/data_cloud.py): for now local ones — a directory path — with the cache's own
// layout (data-formats §9.1): `<url>/files/md5/XX/…` for DVC 3.x objects, `<url>/XX/…` for 2.x
// (md5-dos2unix) ones, `<url>/runs/XX/KEY/VALUE` for the run cache. Objects are written like the
// cache's (temp file + rename, 0444). Cloud URLs (s3://, ssh:// …) are refused with a clear error.
import * as path from "node:path";
import { DvcException } from "../errors.js";
import { ObjectDB } from "../data/odb.js";
import type { HashName } from "../data/hash.js";
import type { RemoteConfig } from "../repo/config.js";

export class LocalRemote {
  private readonly odbs = new Map<boolean, ObjectDB>();

  constructor(
    readonly name: string,
    /** Absolute directory of the remote. */
    readonly root: string,
  ) {}

  /** The object store for entries hashed with `hashName` (legacy layout for md5-dos2unix). */
  odb(hashName: HashName): ObjectDB {
    const legacy = hashName === "md5-dos2unix";
    let o = this.odbs.get(legacy);
    if (!o) {
      o = new ObjectDB(this.root, { legacy });
      this.odbs.set(legacy, o);
    }
    return o;
  }

  get runsDir(): string {
    return path.join(this.root, "runs");
  }
}

/** A remote's url as a local directory, or an error for the URL schemes not supported yet. */
export function openRemote(remote: RemoteConfig): LocalRemote {
  const url = remote.url;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):\/\//.exec(url);
  if (scheme && scheme[1].toLowerCase() !== "file") {
    throw new DvcException(`remote '${remote.name}': '${scheme[1]}' remotes are not supported by this version of dvc-ts (only local directories are)`);
  }
  const p = scheme ? url.slice("file://".length) : url;
  if (!p) throw new DvcException(`remote '${remote.name}' has no url`);
  return new LocalRemote(remote.name, path.resolve(p));
}
