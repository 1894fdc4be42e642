// Messages between the main thread and the topics worker (worker.ts).
import type { ComputeInput, ComputeOutput } from './compute';

export interface TopicsWorkerRequest {
  input: ComputeInput;
}

export type TopicsWorkerReply =
  | { kind: 'progress'; fraction: number; message: string }
  | { kind: 'done'; output: ComputeOutput }
  | { kind: 'error'; message: string };
