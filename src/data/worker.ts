// Entry point of the pooled worker threads (see parallel.ts): load every module that registers
// a task, then run the task messages the main thread posts.
import { parentPort, workerData } from "node:worker_threads";
import "./hash.js";
import "./checkout.js";
import { runTaskMessage, WORKER_TAG, type TaskMessage } from "./parallel.js";

if (parentPort && (workerData as { tag?: string } | null)?.tag === WORKER_TAG) {
  const port = parentPort;
  port.on("message", (task: TaskMessage) => {
    void runTaskMessage(task).then((reply) => port.postMessage(reply));
  });
}
