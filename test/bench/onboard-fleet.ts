import fs from 'node:fs';
import path from 'node:path';
import { startLowaySimulator, type LowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQlmSimulator, type QlmSimulator } from '../vendors/qlm/simulator.ts';
import { startQmFleetSim, type QmFleetSim } from './qm-fleet-sim.ts';
import { BENCH_QM_LOGIN, BENCH_QM_PASSWORD, instancePath } from './fleet-store.ts';
import { runMeasured, type ProcessRun } from './measure.ts';

/**
 * A fleet that existed before Keyfleet, for the onboarding scale run and its smaller test:
 * `instances` QueueMetrics instances, each running the key the Loway key server gave months ago
 * for a PPK the reseller still holds (converted outside Keyfleet), spread over `hosts` vendor
 * hosts; and a QLM License Server holding `qlmLicenses` licenses made in its console for
 * `companies` companies, each a client of the reseller.
 */
export interface OnboardFleetShape {
  instances: number;
  qlmLicenses: number;
  hosts: number;
  companies: number;
  latencyMs: number;
}

export interface OnboardFleet {
  loway: LowaySimulator;
  qm: QmFleetSim;
  qlm: QlmSimulator;
  ppks: string[];
  /** The instances' URLs, one a line, as a user pastes them. */
  urls: string;
  /** clients.csv for `keyfleet client import`. */
  clientsCsv: string;
  close(): Promise<void>;
}

const QLM_VENDOR = 'ResellerCo';
const QLM_USER = 'kf-onboard';
const QLM_PASSWORD = 'Onb0ard+Qlm!';
export const FLEET_CLIENT = 'Company 0';

export const ppkFor = (n: number) => `XQI-LOWAY-FLEET${String(n).padStart(7, '0')}:QM-10/1/365`;
/** The real `keyfleet` command with its standard input (secrets travel there). */
const keyfleet = (bin: string, home: string, args: string[], stdin?: string) => runMeasured(process.execPath, [bin, '--home', home, ...args], stdin === undefined ? {} : { stdin });

const companyFor = (i: number, companies: number) => `Company ${i % companies}`;

/** Ask the key server what a PPK converts to, as the reseller's old tool did (no Keyfleet involved). */
async function convertEarlier(loway: LowaySimulator, ppk: string): Promise<string> {
  const res = await fetch(`${loway.url}?K_enduser=Old%20Tool&K_email=old@reseller.test&K_id=${encodeURIComponent(ppk)}`);
  const body = await res.text();
  const key = /^K:(.*)$/m.exec(body)?.[1]?.trim();
  if (!key) throw new Error(`the key server did not convert ${ppk}: ${body.slice(0, 200)}`);
  return key;
}

export async function startOnboardFleet(shape: OnboardFleetShape): Promise<OnboardFleet> {
  const loway = await startLowaySimulator();
  const ppks = Array.from({ length: shape.instances }, (_, n) => ppkFor(n));
  const keys: string[] = [];
  for (let n = 0; n < ppks.length; n += 50) keys.push(...(await Promise.all(ppks.slice(n, n + 50).map((p) => convertEarlier(loway, p)))));
  const qm = await startQmFleetSim({ ports: shape.hosts, latencyMs: shape.latencyMs, login: BENCH_QM_LOGIN, password: BENCH_QM_PASSWORD, keyFor: (n) => keys[n]! });
  const qlm = await startQlmSimulator({ flavor: 'asmx', vendor: QLM_VENDOR, user: QLM_USER, password: QLM_PASSWORD, products: { 1: 'CallCentre Pro' } });
  qlm.seedLicenses(shape.qlmLicenses, (i) => ({ userCompany: companyFor(i, shape.companies), userEmail: `it@company${i % shape.companies}.test` }));
  const urls = ppks.map((_, n) => `${qm.hostFor(n)}${instancePath(n)}`).join('\n');
  const clientsCsv = ['name,email', ...Array.from({ length: shape.companies }, (_, k) => `Company ${k},it@company${k}.test`)].join('\n');
  return {
    loway,
    qm,
    qlm,
    ppks,
    urls,
    clientsCsv,
    close: async () => {
      await Promise.all([loway.close(), qm.close(), qlm.close()]);
    },
  };
}

/**
 * What the reseller does before onboarding, through the real CLI: the clients, the Loway key
 * server account, the QLM License Server account and the PPKs marked converted. Returns the
 * file holding the URLs.
 */
export async function prepareHome(bin: string, home: string, fleet: OnboardFleet): Promise<string> {
  fs.mkdirSync(home, { recursive: true });
  const clients = path.join(home, 'clients.csv');
  const ppks = path.join(home, 'ppks.txt');
  const urls = path.join(home, 'urls.txt');
  fs.writeFileSync(clients, fleet.clientsCsv);
  fs.writeFileSync(ppks, fleet.ppks.join('\n'));
  fs.writeFileSync(urls, fleet.urls);
  const steps: Array<[string[], string?]> = [
    [['client', 'import', clients]],
    [['source', 'add', 'loway', '--kind', 'loway-keyserver', '--url', fleet.loway.url, '--email', 'keys@reseller.test']],
    [['source', 'add', 'qlm', '--kind', 'qlm', '--url', fleet.qlm.baseUrl, '--vendor', QLM_VENDOR, '--user', QLM_USER, '--secret-stdin'], `${QLM_PASSWORD}\n`],
    [['ppk', 'add', '--file', ppks, '--converted']],
  ];
  for (const [args, stdin] of steps) {
    const r = await keyfleet(bin, home, [...args, '--json'], stdin);
    if (r.code !== 0) throw new Error(`keyfleet ${args.join(' ')} exited ${r.code}: ${r.stdout.slice(0, 300)} ${r.stderr.slice(0, 300)}`);
  }
  return urls;
}

/** The one onboarding run: every URL, one shared secret, the converted PPKs confirmed. */
export function onboardRun(bin: string, home: string, urlsFile: string): Promise<ProcessRun> {
  return keyfleet(bin, home, ['onboard', '--urls', urlsFile, '--client', FLEET_CLIENT, '--user', BENCH_QM_LOGIN, '--secret-stdin', '--yes', '--json'], `${BENCH_QM_PASSWORD}\n`);
}

export interface OnboardOutcome {
  finished: boolean;
  durationMs: number;
  storeWrites: number;
  steps: Array<{ step: string; done: boolean; summary: string | null }>;
  unknowns: Array<{ kind: string; reason: string; command: string }>;
}

export function parseOutcome(run: ProcessRun): OnboardOutcome {
  try {
    return JSON.parse(run.stdout) as OnboardOutcome;
  } catch {
    throw new Error(`keyfleet onboard printed no JSON (exit ${run.code}): ${run.stdout.slice(0, 300)} ${run.stderr.slice(0, 500)}`);
  }
}
