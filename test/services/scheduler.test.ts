import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Batcher, hostOf, runScheduled, type ScheduledTask, type TaskOutcome } from '../../electron/core/services/scheduler.ts';
import { NodeHttpTransport } from '../../electron/core/net/http.ts';
import { startHttpServer, type RunningServer } from '../helpers/servers.ts';

/**
 * The scheduler driving real requests to three real servers on loopback: each server counts
 * the requests it is answering at once, so the limits are observed where they matter.
 */
interface CountingServer extends RunningServer {
  inFlight: number;
  most: number;
  answered: number;
}

const http = new NodeHttpTransport();
let servers: CountingServer[] = [];
let globalInFlight = 0;
let globalMost = 0;

async function countingServer(delayMs: number): Promise<CountingServer> {
  const s = {} as CountingServer;
  const running = await startHttpServer(async (_req, res) => {
    s.inFlight++;
    s.most = Math.max(s.most, s.inFlight);
    globalInFlight++;
    globalMost = Math.max(globalMost, globalInFlight);
    await new Promise((r) => setTimeout(r, delayMs));
    s.inFlight--;
    globalInFlight--;
    s.answered++;
    res.end('ok');
  });
  return Object.assign(s, running, { inFlight: 0, most: 0, answered: 0 });
}

function tasksFor(count: number, server: CountingServer): ScheduledTask<number>[] {
  return Array.from({ length: count }, () => ({
    host: hostOf(server.url),
    run: async (signal) => (await http.request({ method: 'GET', url: `${server.url}/`, signal, timeoutMs: 10_000 })).status,
  }));
}

beforeAll(async () => {
  servers = await Promise.all([countingServer(40), countingServer(40), countingServer(40)]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function reset() {
  for (const s of servers) Object.assign(s, { most: 0, answered: 0 });
  globalMost = 0;
}

describe('runScheduled', () => {
  it('never sends one server more than perHost requests at once, nor all servers more than concurrency, and reports every task', async () => {
    reset();
    const tasks = servers.flatMap((s) => tasksFor(8, s));
    const outcomes = new Map<number, TaskOutcome<number>>();
    const r = await runScheduled(tasks, { concurrency: 4, perHost: 2 }, (i, o) => outcomes.set(i, o));
    expect(r).toEqual({ cancelled: false });
    expect(outcomes.size).toBe(24);
    expect([...outcomes.values()].every((o) => o.ok && o.value === 200)).toBe(true);
    expect(servers.map((s) => s.answered)).toEqual([8, 8, 8]);
    expect(Math.max(...servers.map((s) => s.most))).toBe(2);
    // Round-robin over hosts: with room for 4 and 2 per host, the limit is reached, not exceeded.
    expect(globalMost).toBe(4);
  });

  it('with room globally, one server still gets at most perHost at once', async () => {
    reset();
    await runScheduled(tasksFor(8, servers[0]!), { concurrency: 6, perHost: 2 }, () => undefined);
    expect(servers[0]!.most).toBe(2);
    expect(servers[0]!.answered).toBe(8);
  });

  it('a global limit below the per-host one is the one observed', async () => {
    reset();
    await runScheduled(tasksFor(6, servers[0]!), { concurrency: 1, perHost: 5 }, () => undefined);
    expect(servers[0]!.most).toBe(1);
    expect(servers[0]!.answered).toBe(6);
  });

  it('cancel aborts the requests under way and reports the rest as cancelled without sending them', async () => {
    reset();
    const controller = new AbortController();
    const tasks = tasksFor(10, servers[1]!);
    const outcomes: TaskOutcome<number>[] = [];
    const done = runScheduled(tasks, { concurrency: 2, perHost: 2, signal: controller.signal }, (_i, o) => outcomes.push(o));
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await done).toEqual({ cancelled: true });
    expect(outcomes).toHaveLength(10);
    expect(outcomes.every((o) => !o.ok && o.cancelled)).toBe(true);
    expect(outcomes.filter((o) => !o.ok && (o.error as { code?: string }).code === 'CANCELLED')).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 60));
    expect(servers[1]!.answered).toBeLessThanOrEqual(2);
  });

  it('an already aborted signal starts nothing; an empty list finishes at once', async () => {
    reset();
    const outcomes: TaskOutcome<number>[] = [];
    expect(await runScheduled(tasksFor(3, servers[2]!), { concurrency: 2, perHost: 2, signal: AbortSignal.abort() }, (_i, o) => outcomes.push(o))).toEqual({ cancelled: true });
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, false]);
    expect(servers[2]!.answered).toBe(0);
    expect(await runScheduled([], { concurrency: 0, perHost: 0 }, () => undefined)).toEqual({ cancelled: false });
  });

  it('a failing task is reported as failed, not cancelled, and the others still run', async () => {
    const tasks: ScheduledTask<number>[] = [{ host: 'h', run: () => Promise.reject(new Error('boom')) }, ...tasksFor(2, servers[0]!)];
    const outcomes = new Map<number, TaskOutcome<number>>();
    await runScheduled(tasks, { concurrency: 3, perHost: 3 }, (i, o) => outcomes.set(i, o));
    expect(outcomes.get(0)).toMatchObject({ ok: false, cancelled: false, error: { message: 'boom' } });
    expect(outcomes.get(1)).toEqual({ ok: true, value: 200 });
  });
});

describe('hostOf', () => {
  it('is host:port without scheme or path, lower case; a non-URL is itself', () => {
    expect(hostOf('https://QM.Example.net:8443/queuemetrics')).toBe('qm.example.net:8443');
    expect(hostOf('not a url')).toBe('not a url');
  });

  it('gives what parsing the whole address gives, for any address, asked once or again', () => {
    const parsed = (url: string) => {
      try {
        return new URL(url).host.toLowerCase();
      } catch {
        return url;
      }
    };
    const piece = fc.constantFrom('', 'http://', 'HTTPS://', 'ftp://', 'foo:', '//', 'user:pw@', 'QM.Example', '[::1]', '10.0.0.5', ':80', ':443', ':8080', ':99999', ':', '/', '/qm', '?a=/b', '#x', '\\', ' ', '\t', '\x01', '\u00a0', '%41', 'é', '@', 'xn--', '[', ']');
    const scheme = fc.constantFrom('', 'http://', 'HTTPS://', 'ftp://', 'foo://', 'http:', 'http:///');
    const rest = fc.constantFrom('', '/', '/qm', '?q=1', '#f', '\\x', ' ', '\x01/', '\t/', ' /x');
    const address = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.array(piece, { maxLength: 8 }).map((p) => p.join('')),
      fc.tuple(scheme, fc.array(piece, { maxLength: 4 }), rest, fc.array(piece, { maxLength: 3 })).map(([a, b, c, d]) => a + b.join('') + c + d.join('')),
    );
    fc.assert(
      fc.property(address, (url) => {
        expect(hostOf(url), url).toBe(parsed(url));
        expect(hostOf(url), url).toBe(parsed(url));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('Batcher', () => {
  it('flushes at maxItems, after intervalMs, and on a final flush, never empty', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number>((items) => batches.push(items), { intervalMs: 20, maxItems: 3 });
    [1, 2, 3, 4].forEach((n) => b.add(n));
    expect(batches).toEqual([[1, 2, 3]]);
    await new Promise((r) => setTimeout(r, 40));
    expect(batches).toEqual([[1, 2, 3], [4]]);
    b.add(5);
    b.flush();
    b.flush();
    expect(batches).toEqual([[1, 2, 3], [4], [5]]);
  });
});
