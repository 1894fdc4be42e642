// Messages between the main thread and the archive worker, and the one function both sides use
// to run an operation (the worker for real; the main thread only when no worker entry exists).
import { exportRows, type ExportRequest, type ExportResult } from './export-rows';
import type { ArchiveFailure, ArchiveProgress, Manifest } from './format';
import { commitArchive, unpackArchive, type CommitRequest, type CommitResult, type UnpackRequest } from './import-rows';

export type WorkerRequest = { op: 'export'; req: ExportRequest } | { op: 'unpack'; req: UnpackRequest } | { op: 'commit'; req: CommitRequest };

export interface OpResults {
  export: ExportResult;
  unpack: Manifest;
  commit: CommitResult;
}

export type WorkerReply =
  | { kind: 'progress'; progress: ArchiveProgress }
  | { kind: 'done'; value: OpResults[WorkerRequest['op']] }
  | { kind: 'error'; message: string; reason: ArchiveFailure | null };

export async function runArchiveOp(msg: WorkerRequest, progress: (p: ArchiveProgress) => void): Promise<OpResults[WorkerRequest['op']]> {
  switch (msg.op) {
    case 'export':
      return exportRows(msg.req, progress);
    case 'unpack':
      return unpackArchive(msg.req, progress);
    case 'commit':
      return commitArchive(msg.req, progress);
  }
}
