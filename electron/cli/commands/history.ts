import type { Command } from '../framework.ts';
import { int, str, table } from '../framework.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
  {
    path: ['history'],
    usage: 'history [--instance NAME] [--action PREFIX] [--limit N]',
    summary: 'the event log, newest first',
    options: { instance: { type: 'string' }, action: { type: 'string' }, limit: { type: 'string' } },
    async run(ctx, { values, io }) {
      const { listHistory } = await import('../../core/services/history.ts');
      const { events, warnings } = listHistory(ctx, { instance: str(values, 'instance'), action: str(values, 'action'), limit: int(values, 'limit', [1, 1_000_000]) });
      for (const w of warnings) io.stderr.write(`keyfleet: warning: ${w}\n`);
      return {
        json: { events: events.map(({ data: _data, ...e }) => e) },
        get text() {
          return events.length ? table(['AT', 'ACTION', 'TARGET', 'OUTCOME', 'SUMMARY'], events.map((e) => [e.at, e.action, e.target, e.outcome, e.error?.message ?? e.summary])) : 'no events';
        },
      };
    },
  },
];
