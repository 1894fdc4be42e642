import { describe, expect, it } from 'vitest';
import { JOB_DEFINITIONS } from '../../electron/core/app';
import { JOB_TYPE_LABELS, jobTypeLabel } from '../../renderer/pages/queue/job-types';

describe('job types in words', () => {
  it('given every job type the core runs, then the Queue has words for each, and names no type that does not exist', () => {
    const types = JOB_DEFINITIONS.map((d) => d.type).sort();
    expect(types.filter((t) => !jobTypeLabel(t).known)).toEqual([]);
    expect(Object.keys(JOB_TYPE_LABELS).sort()).toEqual(types);
  });

  it('given a type the list does not know, then its raw name is shown', () => {
    expect(jobTypeLabel('future.thing')).toEqual({ label: 'future.thing', raw: 'future.thing', known: false });
  });
});
