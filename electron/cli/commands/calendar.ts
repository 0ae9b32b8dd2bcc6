import path from 'node:path';
import type { Command } from '../framework.ts';
import { requireStr } from '../framework.ts';

const exportsService = () => import('../../core/services/exports.ts');

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
  {
    path: ['calendar'],
    usage: 'calendar --out FILE.ics',
    summary: 'write every expiry as an iCalendar file (subscribe to it from a calendar app)',
    options: { out: { type: 'string' } },
    async run(ctx, { values }) {
      const [{ exportCalendar }, { writeCalendarFeed }] = await Promise.all([exportsService(), import('../../core/domain/calendar.ts')]);
      const r = exportCalendar(ctx);
      const target = path.resolve(requireStr(values, 'out'));
      await writeCalendarFeed(target, r.content);
      const events = (r.content.match(/BEGIN:VEVENT/g) ?? []).length;
      return { json: { file: target, events }, text: `wrote ${events} expiry event(s) to ${target}` };
    },
  },
];
