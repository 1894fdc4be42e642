// Messages between the main thread and the knowledge extraction worker (extract-worker.ts).
import type { ExtractFailure, ExtractRequest, ExtractResult } from './extract';

export type WorkerRequest =
  | { id: number; op: 'extract'; req: ExtractRequest }
  /** Local-embedder vectors for many texts (re-embedding thousands of chunks). */
  | { id: number; op: 'embed'; texts: string[]; dims: number };

export type WorkerMessage =
  | { id: number; kind: 'progress'; fraction: number; message: string }
  | { id: number; kind: 'extracted'; value: ExtractResult }
  | { id: number; kind: 'embedded'; vectors: Float32Array[] }
  | { id: number; kind: 'error'; message: string; reason: ExtractFailure | null };

/** A request before the client numbers it. */
export type WorkerRequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
