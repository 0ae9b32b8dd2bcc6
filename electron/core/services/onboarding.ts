import crypto from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { Context } from '../context.ts';
import type { OnboardingState, StoreData } from '../store/schema.ts';
import { KeyfleetError } from '../errors.ts';
import { importInstancesCsv } from './instances-csv.ts';
import { parseInstanceUrls } from './onboarding-urls.ts';
import { testConnections } from './onboarding-connections.ts';
import { splitCoreServersAndMatchClients } from './onboarding-core-servers.ts';
import { fleetUnknowns, type UnknownItem } from './onboarding-unknowns.ts';
import { refreshInstances } from './refresh.ts';
import { adoptFromConvertedPpks, convertedPpksToAsk, importFromQlmSources } from './onboarding-vendor-steps.ts';

/**
 * "Bring your fleet": instances in (pasted URLs or the CSV import), every connection tested,
 * every license read, iSymphony core servers split out and licenses matched to clients, QLM
 * servers imported, QueueMetrics keys adopted from PPKs the user marked converted, and a list of
 * what is still unknown. Each step commits whole and is recorded in the store's `onboarding`
 * object, so a run that stops (closed, cancelled, crashed) resumes at the first unfinished step.
 */
export const ONBOARDING_STEPS = ['instances', 'test', 'read', 'core-servers', 'qlm', 'adopt'] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

export const STEP_LABELS = {
  instances: 'Add instances',
  test: 'Test connections',
  read: 'Read licenses',
  'core-servers': 'Core servers and clients',
  qlm: 'Import from QLM',
  adopt: 'Adopt QueueMetrics keys',
} as const satisfies Record<OnboardingStep, string>;

export interface OnboardingProgress {
  step: OnboardingStep;
  done: number;
  total: number;
  failed?: number;
  current?: string;
}

export interface OnboardingInput {
  /** Pasted URLs, one instance a line. */
  urls?: string | undefined;
  /** A CSV of instances (columns name,kind,url,client,user), as bytes or text. */
  csv?: string | Uint8Array | undefined;
  fileName?: string | undefined;
  /** Client for every pasted URL (created when new). */
  client?: string | undefined;
  /** User for every pasted URL. */
  user?: string | undefined;
  /** One shared secret for every instance (one keychain item). */
  secret?: string | undefined;
  /** The user confirmed asking the key server again for the PPKs marked converted. */
  confirmAdopt?: boolean | undefined;
  /** Stop once this step is done (the rest runs when resumed). */
  stopAfter?: OnboardingStep | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (p: OnboardingProgress) => void;
}

export interface OnboardingStatus {
  state: OnboardingState | null;
  /** Steps in order, with whether each is done and its summary. */
  steps: Array<{ step: OnboardingStep; label: string; done: boolean; summary: string | null }>;
  /** Converted PPKs the adopt step would ask the key server about, waiting for the user's yes. */
  adoptPending: { ppks: string[] } | null;
  unknowns: UnknownItem[];
}

export interface OnboardingRunResult extends OnboardingStatus {
  /** The steps this run performed (not those skipped as already done). */
  ran: OnboardingStep[];
  durationMs: number;
  storeWrites: number;
  finished: boolean;
}

function digestOf(input: string | Uint8Array): string {
  return crypto.createHash('sha256').update(input).digest('hex');
}

function saveState(ctx: Context, change: (s: OnboardingState) => OnboardingState): OnboardingState {
  return ctx.store.update((d: StoreData) => (d.onboarding ? { ...d, onboarding: change(d.onboarding) } : d)).onboarding!;
}

/** How long a step took, for its summary (the closing note gives the time each took). */
const took = (t0: number) => ` (${((Date.now() - t0) / 1000).toFixed(1)} s)`;

function markDone(ctx: Context, step: OnboardingStep, summary: string, extra: Partial<OnboardingState> = {}): void {
  const at = ctx.now().toISOString();
  saveState(ctx, (s) => ({ ...s, ...extra, updatedAt: at, steps: { ...s.steps, [step]: { at, summary: summary.slice(0, 500) } } }));
}

/** Bad input lines: nothing is imported, and each line is named with what is wrong on it. */
function rejectedLines(errors: Array<{ line: number; message: string }>): KeyfleetError {
  return new KeyfleetError('BAD_INPUT', `nothing was imported; correct these lines and run again:\n${errors.map((e) => `line ${e.line}: ${e.message}`).join('\n')}`, { errors });
}

/** URL lines as the CSV the instance import reads, so both inputs share its checks and its one commit. */
function urlsAsCsv(ctx: Context, text: string, client: string | undefined, user: string | undefined): { csv: string; lineOf: (csvLine: number) => number } {
  const taken = new Set(ctx.store.data.instances.map((i) => i.name.toLowerCase()));
  const { rows, errors } = parseInstanceUrls(text, taken);
  if (errors.length) throw rejectedLines(errors);
  if (rows.length === 0) throw new KeyfleetError('BAD_INPUT', 'no URLs given: paste one instance URL a line');
  const csv = stringify([['name', 'kind', 'url', 'client', 'user'], ...rows.map((r) => [r.name, r.kind, r.url, client ?? '', user ?? ''])]);
  // CSV line n (1 = header) is row n-2.
  return { csv, lineOf: (n) => rows[n - 2]?.line ?? n };
}

/**
 * Step 1: the instances, and the run's record, in one commit: a bad line imports nothing and
 * names the line; a crash leaves either no run or the run with all its instances.
 */
async function importInstances(ctx: Context, input: OnboardingInput, kind: 'urls' | 'csv', source: string | Uint8Array, fresh: OnboardingState): Promise<void> {
  if (kind === 'csv' && (input.client || input.user)) {
    throw new KeyfleetError('BAD_INPUT', "a CSV names each instance's client and user in its own columns (client, user); leave out the client and user options");
  }
  let csv: string | Uint8Array = source;
  let lineOf = (n: number) => n;
  if (kind === 'urls') ({ csv, lineOf } = urlsAsCsv(ctx, String(source), input.client, input.user));
  let clientsBefore = 0;
  const result = await importInstancesCsv(ctx, csv, {
    sharedSecret: input.secret,
    fileName: input.fileName ?? (kind === 'urls' ? 'pasted URLs' : 'instances.csv'),
    alsoCommit: (next, added) => {
      clientsBefore = ctx.store.data.clients.length;
      const at = ctx.now().toISOString();
      const summary = `${added.length} instance(s) added${next.clients.length > clientsBefore ? `, ${next.clients.length - clientsBefore} new client(s)` : ''}`;
      return { ...next, onboarding: { ...fresh, updatedAt: at, instanceIds: added.map((i) => i.id), steps: { instances: { at, summary } } } };
    },
  });
  if (result.errors.length) throw rejectedLines(result.errors.map((e) => ({ line: lineOf(e.line), message: e.message })));
  if (result.imported === 0) throw new KeyfleetError('BAD_INPUT', 'the file lists no instances');
}

/** Start a run for new input, or find the unfinished one to resume. */
async function beginOrResume(ctx: Context, input: OnboardingInput): Promise<OnboardingState> {
  const current = ctx.store.data.onboarding;
  const source = input.urls ?? input.csv;
  if (input.urls !== undefined && input.csv !== undefined) throw new KeyfleetError('BAD_INPUT', 'give either URLs or a CSV file, not both');
  if (source === undefined) {
    if (current) return current;
    throw new KeyfleetError('BAD_INPUT', 'nothing to onboard yet: give the instances as URLs (one a line) or as a CSV file');
  }
  const kind = input.urls !== undefined ? 'urls' : 'csv';
  const digest = digestOf(source);
  // The same instances again: the run they started, finished or not (nothing is imported twice).
  if (current?.input.digest === digest) return current;
  if (current && !current.finishedAt) {
    throw new KeyfleetError('CONFLICT', `an onboarding of ${current.instanceIds.length} instance(s) started ${current.startedAt.slice(0, 10)} is not finished: resume it first (run it again without new instances)`);
  }
  const at = ctx.now().toISOString();
  const lines = (typeof source === 'string' ? source : Buffer.from(source).toString('utf8')).split(/\r?\n/).filter((l) => l.trim()).length;
  await importInstances(ctx, input, kind, source, { startedAt: at, updatedAt: at, input: { kind, digest, lines }, instanceIds: [], steps: {}, failed: [] });
  return ctx.store.data.onboarding!;
}

export function onboardingStatus(ctx: Context): OnboardingStatus {
  const state = ctx.store.data.onboarding ?? null;
  const asks = convertedPpksToAsk(ctx, state?.instanceIds ?? []);
  return {
    state,
    steps: ONBOARDING_STEPS.map((step) => ({ step, label: STEP_LABELS[step], done: Boolean(state?.steps[step]), summary: state?.steps[step]?.summary ?? null })),
    adoptPending: state && !state.steps.adopt && asks.length ? { ppks: asks } : null,
    unknowns: fleetUnknowns(ctx.store.data),
  };
}

/** Run (or resume) onboarding up to the end, or to `stopAfter`. */
export async function runOnboarding(ctx: Context, input: OnboardingInput): Promise<OnboardingRunResult> {
  const started = Date.now();
  const writesBefore = ctx.store.writes;
  const ran: OnboardingStep[] = [];
  const before = ctx.store.data.onboarding;
  let state = await beginOrResume(ctx, input);
  if (state !== before) ran.push('instances');
  const progress = (p: OnboardingProgress) => input.onProgress?.(p);
  const stopHere = (step: OnboardingStep) => input.stopAfter === step || input.signal?.aborted;
  const idsNow = () => ctx.store.data.onboarding?.instanceIds ?? [];
  const result = (finished: boolean): OnboardingRunResult => ({ ...onboardingStatus(ctx), ran, durationMs: Date.now() - started, storeWrites: ctx.store.writes - writesBefore, finished });

  if (stopHere('instances')) return result(false);

  if (!state.steps.test) {
    const ids = new Set(state.instanceIds);
    const targets = ctx.store.data.instances.filter((i) => ids.has(i.id));
    const t0 = Date.now();
    progress({ step: 'test', done: 0, total: targets.length });
    const { outcomes, cancelled } = await testConnections(ctx, targets, { signal: input.signal, onProgress: (p) => progress({ step: 'test', ...p }) });
    if (cancelled) return result(false);
    const failed = outcomes.filter((o) => o.error).map((o) => ({ instanceId: o.instanceId, code: o.error!.code, message: o.error!.message.slice(0, 1000) }));
    const failedById = new Map(outcomes.filter((o) => o.error).map((o) => [o.instanceId, o]));
    const at = ctx.now().toISOString();
    const summary = `${outcomes.length - failed.length} of ${outcomes.length} connection(s) work${took(t0)}`;
    // One commit: the failures (on the instances, as a check would record them) and the step.
    ctx.store.update((d) => ({
      ...d,
      instances: failedById.size ? d.instances.map((i) => (failedById.has(i.id) ? { ...i, lastCheck: { at: failedById.get(i.id)!.at, ok: false, error: failedById.get(i.id)!.error!, durationMs: failedById.get(i.id)!.durationMs } } : i)) : d.instances,
      onboarding: { ...d.onboarding!, failed, updatedAt: at, steps: { ...d.onboarding!.steps, test: { at, summary } } },
    }));
    ctx.journal.append({ action: 'onboarding.test', target: 'onboarding', outcome: failed.length ? 'failed' : 'ok', summary });
    ran.push('test');
    state = ctx.store.data.onboarding!;
  }
  if (stopHere('test')) return result(false);

  if (!state.steps.read) {
    const failed = new Set(state.failed.map((f) => f.instanceId));
    const ids = state.instanceIds.filter((id) => !failed.has(id));
    const t0 = Date.now();
    progress({ step: 'read', done: 0, total: ids.length });
    const r = await refreshInstances(ctx, { instanceIds: ids, signal: input.signal, onProgress: (p) => progress({ step: 'read', done: p.done, total: p.total, failed: p.failed, ...(p.current ? { current: p.current } : {}) }) });
    if (r.cancelled) return result(false);
    markDone(ctx, 'read', `${r.ok} of ${r.checked} instance(s) read${r.drift.length ? `, ${r.drift.length} running a key Keyfleet does not know` : ''}${took(t0)}`);
    ran.push('read');
    state = ctx.store.data.onboarding!;
  }
  if (stopHere('read')) return result(false);

  if (!state.steps['core-servers']) {
    const t0 = Date.now();
    progress({ step: 'core-servers', done: 0, total: 1 });
    const r = await splitCoreServersAndMatchClients(ctx, state.instanceIds);
    markDone(ctx, 'core-servers', `${r.split} iSymphony host(s) split into ${r.split + r.added.length} core-server instance(s); ${r.matched} license(s) matched to their instance's client${took(t0)}`);
    progress({ step: 'core-servers', done: 1, total: 1 });
    ran.push('core-servers');
    state = ctx.store.data.onboarding!;
  }
  if (stopHere('core-servers')) return result(false);

  if (!state.steps.qlm) {
    const t0 = Date.now();
    const summary = await importFromQlmSources(ctx, (p) => progress({ step: 'qlm', ...p }), input.signal);
    markDone(ctx, 'qlm', `${summary}${took(t0)}`);
    ran.push('qlm');
    state = ctx.store.data.onboarding!;
  }
  if (stopHere('qlm')) return result(false);

  if (!state.steps.adopt) {
    const t0 = Date.now();
    const asks = convertedPpksToAsk(ctx, idsNow());
    if (asks.length && !input.confirmAdopt) return result(false); // waits for the user's yes (adoptPending)
    const summary = asks.length ? await adoptFromConvertedPpks(ctx, idsNow(), (p) => progress({ step: 'adopt', ...p }), input.signal) : 'no QueueMetrics instance runs an unknown key, or no PPK is marked converted';
    markDone(ctx, 'adopt', `${summary}${took(t0)}`);
    ran.push('adopt');
  }
  if (!ctx.store.data.onboarding?.finishedAt) {
    const at = ctx.now().toISOString();
    saveState(ctx, (s) => ({ ...s, finishedAt: at, updatedAt: at }));
    ctx.journal.append({ action: 'onboarding.finish', target: 'onboarding', outcome: 'ok', summary: `${idsNow().length} instance(s) onboarded; ${fleetUnknowns(ctx.store.data).length} thing(s) still unknown` });
  }
  return result(true);
}
