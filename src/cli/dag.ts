// dvc dag
import { childProcess } from "../util/lazy.js";
import type { Command } from "commander";
import { dagData } from "../repo/dag.js";
import { renderAscii, renderDot, renderMermaid } from "../pipeline/dag-render.js";
import { action, dvcCommand, openRepo } from "./common.js";
import { ui } from "./ui.js";

interface Opts {
  dot?: boolean;
  mermaid?: boolean;
  md?: boolean;
  full?: boolean;
  outs?: boolean;
}

/** DVC pages the ASCII drawing through `less` on a terminal (DVC_PAGER overrides). */
function page(text: string): void {
  if (!process.stdout.isTTY) {
    ui.out(text + "\n");
    return;
  }
  const pager = process.env.DVC_PAGER ?? process.env.PAGER ?? "less -R -S";
  const r = childProcess().spawnSync("sh", ["-c", pager], { input: text + "\n", stdio: ["pipe", "inherit", "inherit"] });
  if (r.error) ui.out(text + "\n");
}

export function command(): Command {
  return dvcCommand("dag", "Visualize DVC project DAG.")
    .argument("[target]", "Stage name or output to show pipeline for.")
    .option("--dot", "Print DAG with .dot format.")
    .option("--mermaid", "Print DAG with mermaid format.")
    .option("--md", "Print DAG with mermaid format wrapped in Markdown block.")
    .option("--full", "Show full DAG that the target belongs too, instead of showing DAG consisting only of ancestors.")
    .option("-o, --outs", "Print output files instead of stages.")
    .action(
      action(async (target: string | undefined, opts: Opts) => {
        const repo = openRepo();
        const d = await dagData(repo, { target, full: opts.full, outs: opts.outs });
        if (opts.dot) ui.out(renderDot(d) + "\n");
        else if (opts.mermaid || opts.md) ui.out(renderMermaid(d, { markdown: opts.md }) + "\n");
        else page(renderAscii(d));
        return 0;
      }),
    );
}
