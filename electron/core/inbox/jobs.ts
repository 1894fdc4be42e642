// The inbox's job types and crons, registered with the scheduler by the core (app.ts).
import type { CronSpec } from '../../scheduler/cron';
import { sendFollowup } from './followups';
import { pollCrons, pollInbox, pollSweep } from './polling';
import { sendReply } from './reply';

export const inboxJobs = [pollInbox, pollSweep, sendReply, sendFollowup] as const;

export function inboxCrons(): CronSpec[] {
  return [...pollCrons()];
}
