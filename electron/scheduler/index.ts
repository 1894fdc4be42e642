// The durable in-process job scheduler (DESIGN.md "Scheduler"). Start here: defineJob() for a
// job type, createScheduler() per database, scheduler.enqueue() inside the caller's transaction.
export { createScheduler, schedulerFor, Scheduler, SchedulerError, type SchedulerOptions } from './scheduler';
export {
  defineJob,
  JobError,
  MISSED_RUN_POLICIES,
  type AnyJobDefinition,
  type EnqueueOptions,
  type EnqueueResult,
  type JobContext,
  type JobDefinition,
  type JobInfo,
  type MissedRunPolicy,
  type ReconcileOutcome,
} from './definitions';
export { enqueueJob, enqueueMany, EnqueueError, type JobWriter, type SyncDb } from './enqueue';
export { jobEvents, type JobEventName, type JobEventPayload, type JobEventSink } from './events';
export { CRON_POLICIES, nextFiring, type CronMissedPolicy, type CronSpec } from './cron';
export { runInWorker, WorkerPool, WorkerTaskError } from './worker';
export { pruneFinishedJobs } from './prune';
export { startBackgroundCheckpoints, type CheckpointerOptions } from './checkpointer';
export { systemClock, ManualClock, type Clock } from './clock';
export type { ManualResult } from './manual';
