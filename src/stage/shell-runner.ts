// Running stage commands through one small helper shell. Node forks its whole address space for
// every child (libuv fork + exec), which on small VMs costs ~3–5 ms more per command than a fork
// from a process of a few hundred KiB; a 100-stage `repro` pays that a hundred times. The helper
// is `/bin/sh` reading requests on fd 3; for each it starts the stage's own shell in the
// foreground, exactly as a direct spawn would (same argv, cwd, environment, stdio, process group,
// default signal dispositions), and answers with the exit status on fd 4.
//
// The one thing a shell cannot tell its caller is whether a child exited with 128+N or died of
// signal N. Python (DVC) reports the latter as -N; so do we for 129–192, which is what a stage
// command killed by a signal (or by Ctrl-C) gives in the usual case where the stage shell execs
// it. A command that itself exits with such a code is reported as that signal.
import { accessSync, constants as fsConstants } from "node:fs";
import { constants as osConstants } from "node:os";
import type { ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import { childProcess } from "../util/lazy.js";

/** What a command needs besides its text: the same for the helper and a direct spawn. */
export interface CommandSpec {
  shell: string;
  shellArgs: string[];
  cwd: string;
  /** Variables set on top of the process environment (DVC_STAGE, DVC_ROOT). */
  extraEnv: Record<string, string>;
  line: string;
}

// fd 3: requests, three lines: the directory, `NAME='value' …` assignments, the command line.
// fd 4: answers ("<status>\n", or "cd\n" when the directory could not be entered: the caller
// then spawns directly, which reports that as Node does).
// The helper itself changes into the directory and runs the stage shell as a simple command
// with the assignments as its prefix: dash then uses vfork() + exec, where a subshell would
// cost a full fork() (~1.7 ms a command here). What the command gets is what a direct spawn
// gives: the caller's environment plus the assignments, with PWD, OLDPWD and SHLVL put back as
// the caller had them (`cd` sets the first two, a bash installed as /bin/sh the third; the
// helper's own P0…S1 are unset first), fds 3 and 4 closed. SIGINT is trapped (not ignored:
// ignoring would be inherited) so Ctrl-C reaches the command and not the helper; exec resets it.
const SCRIPT = [
  "p0=$P0 p1=$P1 o0=$O0 o1=$O1",
  'case $S0 in 1) SHLVL=$S1 ;; *) unset SHLVL ;; esac',
  "unset P0 P1 O0 O1 S0 S1",
  "trap : INT",
  'while IFS= read -r d <&3 && IFS= read -r p <&3 && IFS= read -r c <&3; do',
  '  if cd -P -- "$d" 2>/dev/null; then',
  '    case $p0 in 1) PWD=$p1 ;; *) unset PWD ;; esac',
  '    case $o0 in 1) OLDPWD=$o1 ;; *) unset OLDPWD ;; esac',
  '    eval "$p"\' "$@" -c "$c" 3<&- 4>&-\'',
  '    echo "$?" >&4',
  "  else echo cd >&4; fi",
  "done",
].join("\n");

const SAFE = /^[^\n\0]*$/;

function shQuote(s: string): string {
  return "'" + s.replace(/'/g, `'\\''`) + "'";
}

function envSnapshot(): string {
  const e = process.env;
  let s = "";
  for (const k of Object.keys(e)) s += k + "\0" + e[k] + "\0";
  return s;
}

export class ShellRunner {
  /** `helper`: the POSIX shell that runs the script (/bin/sh; tests also try bash, which is
   * /bin/sh on some systems). */
  constructor(private readonly helper = "/bin/sh") {}

  private child: ChildProcess | null = null;
  private out: Socket | null = null;
  private buf = "";
  private waiting: ((answer: string | null) => void) | null = null;
  private env = "";
  private key = "";
  private dead = false;

  /** Run through the helper; null when this command cannot go that way (spawn it directly). */
  async run(spec: CommandSpec): Promise<number | null> {
    if (this.dead) return null;
    if (!SAFE.test(spec.cwd) || !SAFE.test(spec.line)) return null;
    for (const [k, v] of Object.entries(spec.extraEnv)) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || !SAFE.test(v)) return null;
    if (!this.ensure(spec)) return null;
    const assigns = Object.entries(spec.extraEnv)
      .map(([k, v]) => `${k}=${shQuote(v)}`)
      .join(" ");
    const answer = await this.request(`${spec.cwd}\n${assigns}\n${spec.line}\n`);
    if (answer === null || answer === "cd") return null;
    if (answer.startsWith("lost ")) return Number(answer.slice(5)) || 1;
    const s = Number(answer);
    if (!Number.isInteger(s)) return null;
    return s > 128 && s <= 128 + 64 ? -(s - 128) : s;
  }

  private ensure(spec: CommandSpec): boolean {
    const key = [spec.shell, ...spec.shellArgs].join("\0");
    const env = envSnapshot();
    if (this.child && (key !== this.key || env !== this.env)) this.close();
    if (this.child) return true;
    try {
      accessSync(spec.shell, fsConstants.X_OK);
      accessSync(this.helper, fsConstants.X_OK);
    } catch {
      return false;
    }
    const e = process.env;
    const helperEnv: NodeJS.ProcessEnv = {
      ...e,
      P0: e.PWD === undefined ? "0" : "1",
      P1: e.PWD ?? "",
      O0: e.OLDPWD === undefined ? "0" : "1",
      O1: e.OLDPWD ?? "",
      S0: e.SHLVL === undefined ? "0" : "1",
      S1: e.SHLVL ?? "",
    };
    let child: ChildProcess;
    try {
      child = childProcess().spawn(this.helper, ["-c", SCRIPT, "dvc-stage-runner", spec.shell, ...spec.shellArgs], {
        stdio: ["inherit", "inherit", "inherit", "pipe", "pipe"],
        env: helperEnv,
      });
    } catch {
      this.dead = true;
      return false;
    }
    this.child = child;
    this.key = key;
    this.env = env;
    this.out = child.stdio[4] as Socket;
    this.out.setEncoding("utf8");
    this.out.on("data", (chunk: string) => {
      this.buf += chunk;
      const i = this.buf.indexOf("\n");
      if (i >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        const w = this.waiting;
        this.waiting = null;
        w?.(line);
      }
    });
    // The helper gone while a command was in flight: that command may have run, so it is not
    // run again; it is reported as the helper's end (a signal as -N, as a direct spawn would).
    const gone = (code: number | null, signal: NodeJS.Signals | null): void => {
      // a helper replaced by close() + ensure() may exit while its successor is busy
      if (this.child !== child) return;
      this.dead = true;
      const w = this.waiting;
      this.waiting = null;
      w?.(`lost ${signal ? -(osConstants.signals[signal] ?? 0) : (code ?? 1)}`);
    };
    child.on("error", () => {
      // /bin/sh could not be started: nothing ran, the caller spawns directly
      if (this.child !== child) return;
      this.dead = true;
      const w = this.waiting;
      this.waiting = null;
      w?.(null);
    });
    child.on("exit", gone);
    (child.stdio[3] as Socket).on("error", () => {});
    this.out.on("error", () => {});
    this.idle();
    return true;
  }

  private request(text: string): Promise<string | null> {
    const child = this.child!;
    child.ref();
    (child.stdio[3] as Socket).ref();
    this.out!.ref();
    return new Promise<string | null>((resolve) => {
      this.waiting = (a) => {
        this.idle();
        resolve(a);
      };
      (child.stdio[3] as Socket).write(text);
    });
  }

  /** Between commands the helper does not keep the process alive. */
  private idle(): void {
    const child = this.child;
    if (!child) return;
    child.unref();
    (child.stdio[3] as Socket).unref();
    this.out?.unref();
  }

  close(): void {
    const child = this.child;
    if (!child) return;
    this.child = null;
    this.out = null;
    this.buf = "";
    (child.stdio[3] as Socket).end();
  }
}
