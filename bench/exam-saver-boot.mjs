// A save thread of `npm run bench -- exam`: registers tsx in this worker thread, then runs bench/exam-saver.ts.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
