import { useCallback, useEffect, useRef, useState } from 'react';
import type { PushEvents } from '../../../../electron/core/api/contract.ts';
import { call, newJobId, onEvent } from './bridge.ts';

export type JobProgress = PushEvents['jobProgress'];

export interface JobLogLine {
  current: string;
  message: string;
}

export interface JobState {
  jobId: string | null;
  progress: JobProgress | null;
  log: JobLogLine[];
  done: boolean;
  cancelled: boolean;
}

const IDLE: JobState = { jobId: null, progress: null, log: [], done: false, cancelled: false };

/**
 * Follow one long-running call by the job id we pass to it: progress and completion arrive as
 * push events; cancel() asks the main process to stop it.
 */
export function useJob(prefix = 'job') {
  const [state, setState] = useState<JobState>(IDLE);
  const current = useRef<string | null>(null);

  useEffect(() => {
    const offProgress = onEvent('jobProgress', (p) => {
      if (p.jobId !== current.current) return;
      setState((s) => {
        const line = p.current || p.message ? [{ current: p.current ?? '', message: p.message ?? '' }] : [];
        return { ...s, progress: p, log: [...s.log, ...line].slice(-500) };
      });
    });
    const offDone = onEvent('jobDone', (d) => {
      if (d.jobId !== current.current) return;
      setState((s) => ({ ...s, done: true, cancelled: d.cancelled }));
    });
    return () => {
      offProgress();
      offDone();
    };
  }, []);

  const start = useCallback(() => {
    const id = newJobId(prefix);
    current.current = id;
    setState({ ...IDLE, jobId: id });
    return id;
  }, [prefix]);

  const finish = useCallback(() => setState((s) => ({ ...s, done: true })), []);

  const cancel = useCallback(async () => {
    const id = current.current;
    if (!id) return;
    await call('cancelJob', { jobId: id }).catch(() => undefined);
  }, []);

  const reset = useCallback(() => {
    current.current = null;
    setState(IDLE);
  }, []);

  return { state, start, finish, cancel, reset };
}
