// Messages between the main thread and the vector workers (structured-clone safe).
import type { QuantizedQueryStats } from './quantized';
import type { SeqHit } from './tables';

export type ScanMode = 'exact' | 'quantized';

export interface KnnRequest {
  op: 'knn';
  id: number;
  file: string;
  table: string;
  dims: number;
  workspaceId: string;
  vector: Float32Array;
  k: number;
  mode: ScanMode;
  candidates: number;
}

export interface WarmRequest {
  op: 'warm';
  id: number;
  file: string;
  table: string;
  dims: number;
  workspaceId: string;
}

export type WorkerRequest = KnnRequest | WarmRequest;

export type WorkerResponse =
  | { id: number; ok: true; hits: SeqHit[]; stats?: QuantizedQueryStats }
  | { id: number; ok: false; error: string; unavailable?: boolean };

export interface WorkerInit {
  nativeBinding?: string;
}
