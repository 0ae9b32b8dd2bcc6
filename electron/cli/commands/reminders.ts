import type { Command } from '../framework.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
  {
    path: ['reminders'],
    usage: 'reminders [--dry-run]',
    summary: 'the reminders due now, each (license, stage) once; --dry-run records nothing',
    options: { 'dry-run': { type: 'boolean' } },
    async run(ctx, { values }) {
      const { evaluateReminders } = await import('../../core/services/reminders.ts');
      const notices = evaluateReminders(ctx, { dryRun: Boolean(values['dry-run']) });
      const due = notices.filter((n) => n.kind === 'expiry').map((n) => ({ license: n.target, stage: n.stage, daysLeft: n.daysLeft, expiresAt: n.expiresAt, title: n.title }));
      const lowStock = notices.filter((n) => n.kind === 'low-stock').map((n) => ({ group: n.target, title: n.title }));
      return {
        json: { due, lowStock },
        text: notices.length ? notices.map((n) => `${n.title}\n  ${n.body}`).join('\n') : 'no reminders due',
      };
    },
  },
];
