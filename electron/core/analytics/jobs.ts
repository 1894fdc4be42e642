// Analytics' job types and crons, registered with the scheduler by the core (app.ts).
import type { CronSpec } from '../../scheduler/cron';
import { fetchMetricsJob, metricsCrons, metricsSweep } from './metrics-fetch';

export const analyticsJobs = [fetchMetricsJob, metricsSweep] as const;

export function analyticsCrons(): CronSpec[] {
  return [...metricsCrons()];
}
