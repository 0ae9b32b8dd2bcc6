import type { Command } from '../framework.ts';
import { int, readSecretLine, requireStr, str, table } from '../framework.ts';
import { contractSchemas, secretStdin } from '../command-input.ts';
import { removeCommand, stringOptions } from '../command-shapes.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
  {
    path: ['source', 'add'],
    usage: 'source add NAME --kind loway-keyserver|qlm --url URL [--email E] [--vendor V --user U --secret-stdin] [--product ID --major N --minor N] [--date-format F] [--pin SHA256]',
    summary: 'add a key source: a Loway key-server account or a QLM License Server account',
    options: {
      ...stringOptions('kind', 'url', 'email', 'vendor', 'user', 'product', 'major', 'minor', 'date-format', 'pin'),
      ...secretStdin,
    },
    positionals: [1, 1],
    async run(ctx, { positionals, values, io }) {
      const product = int(values, 'product');
      const productDefaults = product !== undefined ? { productId: product, major: int(values, 'major') ?? 1, minor: int(values, 'minor') ?? 0 } : undefined;
      const { validateInput, SourceInputSchema } = await contractSchemas();
      const input = validateInput(SourceInputSchema, {
        name: positionals[0],
        kind: requireStr(values, 'kind'),
        url: requireStr(values, 'url'),
        email: str(values, 'email'),
        vendor: str(values, 'vendor'),
        user: str(values, 'user'),
        productDefaults,
        dateFormat: str(values, 'date-format'),
        pinSha256: str(values, 'pin'),
      });
      const secret = values['secret-stdin'] ? await readSecretLine(io.stdin, 'password') : undefined;
      const { addSource } = await import('../../core/services/sources.ts');
      const source = await addSource(ctx, { ...input, secret });
      return { json: { source: { id: source.id, name: source.name, kind: source.kind, url: source.url } }, text: `added ${source.kind} key source ${source.name} (${source.id})` };
    },
  },
  {
    path: ['source', 'list'],
    usage: 'source list',
    summary: 'list key sources',
    async run(ctx) {
      const sources = ctx.store.data.sources;
      return {
        json: { sources },
        text: sources.length ? table(['NAME', 'KIND', 'URL', 'ID'], sources.map((s) => [s.name, s.kind, s.url, s.id])) : 'no key sources yet',
      };
    },
  },
  {
    path: ['source', 'test'],
    usage: 'source test NAME',
    summary: 'check a key source answers (QLM: PingHttp; Loway: its status line, converting nothing)',
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const { testSource } = await import('../../core/services/connection-test.ts');
      const r = await testSource(ctx, positionals[0]!);
      return { json: r, text: `${r.summary}${r.skewMs !== null ? `; clock skew ${Math.round(r.skewMs / 1000)} s` : ''}` };
    },
  },
  removeCommand('source', 'key source', 'remove a key source and its keychain item', async (ctx, ref) => (await import('../../core/services/sources.ts')).removeSource(ctx, ref)),
];
