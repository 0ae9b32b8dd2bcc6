import type { Command } from '../framework.ts';
import { readSecretLine, str, table } from '../framework.ts';
import { KeyfleetError } from '../../core/errors.ts';
import { secretStdin } from '../command-input.ts';
import { removeCommand } from '../command-shapes.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
  {
    path: ['credential', 'add'],
    usage: 'credential add NAME [--user U] --secret-stdin',
    summary: 'add a shared credential (one keychain item many instances can use)',
    options: { user: { type: 'string' }, ...secretStdin },
    positionals: [1, 1],
    async run(ctx, { positionals, values, io }) {
      if (!values['secret-stdin']) throw new KeyfleetError('BAD_INPUT', '--secret-stdin is required: the secret is read from standard input');
      const secret = await readSecretLine(io.stdin);
      const { addCredential } = await import('../../core/services/instances.ts');
      const credential = await addCredential(ctx, { name: positionals[0]!, user: str(values, 'user'), secret });
      return { json: { credential }, text: `added shared credential ${credential.name} (${credential.id})` };
    },
  },
  removeCommand('credential', 'credential', 'remove a shared credential no instance uses any more, and its keychain item', async (ctx, ref) => (await import('../../core/services/instances.ts')).removeCredential(ctx, ref)),
  {
    path: ['credential', 'list'],
    usage: 'credential list',
    summary: 'list shared credentials',
    async run(ctx) {
      const creds = ctx.store.data.credentials;
      // One pass over the instances, not one per credential (5,000 instances can share one).
      const counts = new Map<string, number>();
      for (const i of ctx.store.data.instances) if (i.secret?.type === 'shared') counts.set(i.secret.credentialId, (counts.get(i.secret.credentialId) ?? 0) + 1);
      const users = (id: string) => counts.get(id) ?? 0;
      return {
        json: { credentials: creds.map((c) => ({ ...c, instances: users(c.id) })) },
        get text() {
          return creds.length ? table(['NAME', 'USER', 'INSTANCES', 'ID'], creds.map((c) => [c.name, c.user, users(c.id), c.id])) : 'no shared credentials';
        },
      };
    },
  },
];
