/** Worker-thread entry of the piscina pool: runs one scale task (see tasks.ts). */
import { deserialize } from 'node:v8';
import {
  hasContext,
  runScaleTask,
  type ScaleContext,
  type ScaleTask,
  type ScaleTaskResult,
} from './tasks.js';
import { applyWasmEnv } from '../tgat/index.js';

// A worker thread has its own copy of every module: apply the process settings here too (env is inherited).
applyWasmEnv(process.env);

export interface PoolMessage {
  contextId: string;
  /**
   * The context, serialized once by the caller (v8.serialize) into shared memory: every task of a call carries the
   * same bytes without a copy, and a worker decodes them only the first time it sees the context id.
   */
  context: SharedArrayBuffer;
  task: ScaleTask;
}

export default function run(msg: PoolMessage): ScaleTaskResult {
  const context = hasContext(msg.contextId)
    ? null
    : (deserialize(new Uint8Array(msg.context)) as ScaleContext);
  return runScaleTask(msg.contextId, context, msg.task);
}
