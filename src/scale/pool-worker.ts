/** Worker-thread entry of the piscina pool: runs one scale task (see tasks.ts). */
import { runScaleTask, type ScaleContext, type ScaleTask, type ScaleTaskResult } from './tasks.js';
import { applyWasmEnv } from '../tgat/index.js';

// A worker thread has its own copy of every module: apply the process settings here too (env is inherited).
applyWasmEnv(process.env);

export interface PoolMessage {
  contextId: string;
  context: ScaleContext;
  task: ScaleTask;
}

export default function run(msg: PoolMessage): ScaleTaskResult {
  return runScaleTask(msg.contextId, msg.context, msg.task);
}
