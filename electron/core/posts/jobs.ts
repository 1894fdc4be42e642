// The post job types the core registers with the scheduler.
import { confirmHeldPost } from './held-confirmation';
import { publishTarget } from './publish';

export const postJobs = [publishTarget, confirmHeldPost] as const;
