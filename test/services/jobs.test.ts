import { describe, expect, it } from 'vitest';
import { JobRegistry } from '../../electron/core/services/jobs.ts';

describe('JobRegistry', () => {
  it('gives each job an id and a signal; cancel aborts that job only', () => {
    const jobs = new JobRegistry();
    const a = jobs.start();
    const b = jobs.start('job_mine');
    expect(a.id).toMatch(/^job_/);
    expect(b.id).toBe('job_mine');
    expect(jobs.cancel('job_mine')).toBe(true);
    expect(b.signal.aborted).toBe(true);
    expect(a.signal.aborted).toBe(false);
  });

  it('a finished or unknown job cannot be cancelled, and its signal stays as it was', () => {
    const jobs = new JobRegistry();
    const job = jobs.start();
    job.done();
    expect(jobs.cancel(job.id)).toBe(false);
    expect(job.signal.aborted).toBe(false);
    expect(jobs.cancel('job_nope')).toBe(false);
  });
});
