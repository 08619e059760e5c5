// Python `glob.glob(pattern, recursive=True)` semantics for targets given with --glob:
// `*`, `?`, `[...]` within one path segment, `**` across directories, hidden names only
// matched by patterns that start with a dot.
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { DvcException } from "../errors.js";
import { pyRepr } from "./py.js";

export function hasMagic(s: string): boolean {
  return /[*?[]/.test(s);
}

/** fnmatch-style translation of one segment (also used for stage-name globs). */
export function segmentRegExp(seg: string): RegExp {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const j = seg.indexOf("]", i + 2);
      if (j === -1) re += "\\[";
      else {
        let body = seg.slice(i + 1, j);
        if (body.startsWith("!")) body = "^" + body.slice(1);
        re += "[" + body.replace(/\\/g, "\\\\") + "]";
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s");
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function glob(pattern: string, cwd = process.cwd()): string[] {
  const absolute = path.isAbsolute(pattern);
  const segs = pattern.split("/").filter((s, i) => s !== "" || i === 0);
  const start = absolute ? "/" : cwd;
  if (absolute) segs.shift();
  let current: string[] = [""];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    const next: string[] = [];
    for (const rel of current) {
      const base = path.join(start, rel);
      if (seg === "**") {
        const walk = (r: string): void => {
          next.push(r);
          for (const n of listDir(path.join(start, r))) {
            if (n.startsWith(".")) continue;
            const child = r ? `${r}/${n}` : n;
            if (isDir(path.join(start, child))) walk(child);
          }
        };
        walk(rel);
      } else if (hasMagic(seg)) {
        const re = segmentRegExp(seg);
        for (const n of listDir(base)) {
          if (n.startsWith(".") && !seg.startsWith(".")) continue;
          if (!re.test(n)) continue;
          const child = rel ? `${rel}/${n}` : n;
          if (last || isDir(path.join(start, child))) next.push(child);
        }
      } else {
        const child = rel ? `${rel}/${seg}` : seg;
        try {
          statSync(path.join(start, child));
          next.push(child);
        } catch {
          /* no match */
        }
      }
    }
    current = next;
  }
  return current.filter((r) => r !== "").map((r) => (absolute ? "/" + r : r));
}

/** dvc/utils/__init__.py glob_targets: each target expanded; one without matches is an error. */
export function globTargets(targets: string[]): string[] {
  const out: string[] = [];
  for (const t of targets) {
    const matches = glob(t);
    if (matches.length === 0) throw new DvcException(`Glob ${pyRepr([t])} has no matches.`);
    out.push(...matches);
  }
  return out;
}
