import { Group, Progress, Text } from '@mantine/core';
import type { JobState } from '../api/useJob.ts';

/** A progress bar with counts and the latest steps of one job. */
export function JobProgressView({
  state,
  running,
  showLog = true,
  single = false,
  stepLabel = (s: string) => s,
}: {
  state: JobState;
  running: boolean;
  showLog?: boolean;
  /** One piece of work reported in steps (activating a PPK): no counts, and no bar once it has ended. */
  single?: boolean;
  /** How a step id reported by the main process reads to a person. */
  stepLabel?: (step: string) => string;
}) {
  const p = state.progress;
  // Single-step jobs (activating one PPK) report steps, not counts: show an indeterminate bar until one is done.
  const indeterminate = running && (!p || p.total === 0 || (p.done === 0 && p.total === 1));
  const pct = indeterminate ? 100 : p && p.total > 0 ? Math.round((p.done / p.total) * 100) : 0;
  // Once a single-step job has ended its log says everything: the bar and the status line go.
  const ended = single && !running;
  return (
    <div>
      {ended ? null : (
        <>
          <Progress value={pct} animated={indeterminate} striped={running} size="md" aria-label="Progress" aria-valuetext={indeterminate ? 'working' : p ? `${p.done} of ${p.total}` : 'idle'} />
          <Group justify="space-between" mt={4}>
            <Text size="xs" c="dimmed" truncate maw={single ? '100%' : '70%'}>
              {p?.current ? `${stepLabel(p.current)}${p.message ? `: ${p.message}` : ''}` : (p?.message ?? (running ? 'Working…' : ''))}
            </Text>
            {p && !single ? (
              <Text size="xs" className="kf-num">
                {p.done}/{p.total} · <Text span c="teal" size="xs">{p.ok} ok</Text>
                {p.failed ? <Text span c="red" size="xs"> · {p.failed} failed</Text> : null}
              </Text>
            ) : null}
          </Group>
        </>
      )}
      {showLog && state.log.length ? (
        <div className="kf-log" aria-label="Steps" role="log">
          {state.log.slice(-100).map((l, i) => (
            <div key={i}>
              {l.current ? <b>{stepLabel(l.current)}</b> : null}
              {l.current && l.message ? ' — ' : null}
              {l.message}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
