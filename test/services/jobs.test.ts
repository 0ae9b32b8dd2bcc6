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

  it('run keeps a job cancellable while its work runs and forgets it when the work ends, failed or not', async () => {
    const jobs = new JobRegistry();
    let seen: AbortSignal | undefined;
    const result = await jobs.run('job_run', async (job) => {
      seen = job.signal;
      expect(job.id).toBe('job_run');
      expect(jobs.cancel('job_run')).toBe(true);
      return job.signal.aborted ? 'stopped' : 'went on';
    });
    expect(result).toBe('stopped');
    expect(seen?.aborted).toBe(true);
    expect(jobs.cancel('job_run')).toBe(false);
    await expect(jobs.run('job_fails', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(jobs.cancel('job_fails')).toBe(false);
  });
});
