import fs from 'node:fs';
import type { Command, CliIo } from '../framework.ts';
import { str } from '../framework.ts';
import { secretStdin } from '../command-input.ts';
import { throttledProgress } from '../progress-throttle.ts';
import { KeyfleetError } from '../../core/errors.ts';
import type { OnboardingStatus } from '../../core/services/onboarding.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new KeyfleetError('BAD_INPUT', `--${what}: cannot read ${file}: ${(e as Error).message}`);
  }
}

/**
 * The instances and the secret from the command line: `--urls -` reads the URLs from standard
 * input; with --secret-stdin too, the first line there is the secret and the rest the URLs.
 */
async function readInput(values: Record<string, unknown>, io: CliIo) {
  const urls = str(values as never, 'urls');
  const csv = str(values as never, 'csv');
  if (urls !== undefined && csv !== undefined) throw new KeyfleetError('BAD_INPUT', 'give --urls or --csv, not both');
  const wantsSecret = values['secret-stdin'] === true;
  if (urls === '-') {
    const text = await readAll(io.stdin);
    if (!wantsSecret) return { urls: text };
    const [secret = '', ...rest] = text.split(/\r?\n/);
    if (!secret) throw new KeyfleetError('BAD_INPUT', '--secret-stdin: no secret on the first line of standard input');
    return { urls: rest.join('\n'), secret };
  }
  const { readSecretLine } = await import('../framework.ts');
  const secret = wantsSecret ? await readSecretLine(io.stdin) : undefined;
  if (urls !== undefined) return { urls: readFile(urls, 'urls').toString('utf8'), fileName: urls, secret };
  if (csv !== undefined) return { csv: readFile(csv, 'csv'), fileName: csv, secret };
  return { secret };
}

function stepLines(status: OnboardingStatus): string[] {
  return status.steps.map((s) => `  ${s.done ? '✓' : '·'} ${s.label}${s.summary ? `: ${s.summary}` : ''}`);
}

function unknownLines(status: OnboardingStatus): string[] {
  if (status.unknowns.length === 0) return ['nothing is unknown: every instance is read and every license has its expiry and its client'];
  return [`${status.unknowns.length} thing(s) still unknown, each with the command that resolves it:`, ...status.unknowns.map((u) => `  ${u.reason}\n    ${u.command}`)];
}

function adoptLines(status: OnboardingStatus): string[] {
  if (!status.adoptPending) return [];
  const { ppks } = status.adoptPending;
  return [
    `${ppks.length} PPK(s) are marked as converted before Keyfleet. To adopt the unknown QueueMetrics keys, Keyfleet asks the key server`,
    'for their keys again (free for a converted PPK: the key server answers with the key it gave):',
    ...ppks.slice(0, 20).map((p) => `  ${p}`),
    ...(ppks.length > 20 ? [`  … and ${ppks.length - 20} more`] : []),
    'if these are right, run: keyfleet onboard --yes',
  ];
}

function statusJson(status: OnboardingStatus) {
  return {
    steps: status.steps.map((s) => ({ step: s.step, done: s.done, summary: s.summary })),
    adoptPending: status.adoptPending,
    unknowns: status.unknowns.map((u) => ({ kind: u.kind, instance: u.instance ?? null, license: u.licenseId ?? null, reason: u.reason, command: u.command })),
  };
}

export const commands: Command[] = [
  {
    path: ['onboard'],
    usage: 'onboard [--urls FILE|- | --csv FILE] [--client C] [--user U] [--secret-stdin] [--yes]',
    summary: 'bring a fleet in: add instances, test every connection, read every license, import QLM, adopt keys; resumable',
    help: [
      '--urls: one instance URL a line (- reads standard input). The kind comes from the URL where it shows it',
      '(QueueMetrics: /queuemetrics or …/xmlrpc.do; iSymphony: /communication_manager or port 58080; Webitel: /api',
      'or a webitel host name); otherwise write it before the URL: "webitel https://cc.example". Names come from',
      'the host. --client and --user apply to every URL; --secret-stdin reads one shared secret (with --urls -,',
      'the first line of standard input is the secret and the rest the URLs). --csv takes the instance import\'s',
      'file (columns name,kind,url,client,user). A bad line imports nothing and is named.',
      'Then every connection is tested and every license read; an iSymphony host with several core servers becomes',
      'one instance per core server; a QLM License Server\'s licenses are imported; QueueMetrics keys are adopted from',
      'PPKs marked converted (keyfleet ppk add PPK --converted) once you confirm the list with --yes.',
      'Each step is saved when done: run keyfleet onboard again (without input) to resume where it stopped.',
      'JSON: {"finished","ran","durationMs","storeWrites","steps":[{"step","done","summary"}],"adoptPending",',
      '"unknowns":[{"kind","instance","license","reason","command"}]}. Exit 0 when nothing is unknown, 1 when',
      'something remains (or a step is waiting), 2 on bad input (nothing imported).',
    ],
    options: { urls: { type: 'string' }, csv: { type: 'string' }, client: { type: 'string' }, user: { type: 'string' }, yes: { type: 'boolean' }, ...secretStdin },
    async run(ctx, { values, io, progress }) {
      const input = await readInput(values, io);
      const { runOnboarding, STEP_LABELS } = await import('../../core/services/onboarding.ts');
      const report = throttledProgress(progress);
      let lastStep = '';
      const result = await runOnboarding(ctx, {
        ...input,
        client: str(values, 'client'),
        user: str(values, 'user'),
        confirmAdopt: values.yes === true,
        onProgress: (p) => {
          report(`${STEP_LABELS[p.step]}: ${p.done}/${p.total}${p.failed ? ` (${p.failed} failed)` : ''}`, p.step !== lastStep || p.done === p.total);
          lastStep = p.step;
        },
      });
      const remaining = result.unknowns.length > 0 || !result.finished;
      return {
        json: { finished: result.finished, ran: result.ran, durationMs: result.durationMs, storeWrites: result.storeWrites, ...statusJson(result) },
        get text() {
          return [
            `onboarding ${result.finished ? 'finished' : 'stopped'} in ${(result.durationMs / 1000).toFixed(1)} s:`,
            ...stepLines(result),
            ...adoptLines(result),
            ...unknownLines(result),
          ].join('\n');
        },
        ...(remaining ? { exitCode: 1 } : {}),
      };
    },
  },
  {
    path: ['onboard', 'status'],
    usage: 'onboard status',
    summary: 'where onboarding stands, and what is still unknown with the command that resolves each',
    help: 'JSON: as keyfleet onboard, without "ran". Exit 0 when nothing is unknown, 1 when something remains.',
    async run(ctx) {
      const { onboardingStatus } = await import('../../core/services/onboarding.ts');
      const status = onboardingStatus(ctx);
      return {
        json: { finished: Boolean(status.state?.finishedAt), ...statusJson(status) },
        get text() {
          return [...(status.state ? ['onboarding:', ...stepLines(status)] : ['no onboarding has run here']), ...adoptLines(status), ...unknownLines(status)].join('\n');
        },
        ...(status.unknowns.length > 0 || status.adoptPending ? { exitCode: 1 } : {}),
      };
    },
  },
];
