// The post job types the core registers with the scheduler.
import { publishTarget } from './publish';

export const postJobs = [publishTarget] as const;
