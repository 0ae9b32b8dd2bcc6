import { beforeAll, describe, expect, it } from 'vitest';
import { testInstance, testSource } from '../../electron/core/services/connection-test.ts';
import { addCredential, addInstance } from '../../electron/core/services/instances.ts';
import { addSource } from '../../electron/core/services/sources.ts';
import type { Context } from '../../electron/core/context.ts';
import { serviceContext } from '../helpers/context.ts';
import { startWebitelSimulator } from '../vendors/webitel/simulator.ts';
import { startISymphonySimulator } from '../vendors/isymphony/simulator.ts';
import { startLowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQlmSimulator } from '../vendors/qlm/simulator.ts';
import { serversForBlock } from '../helpers/block-servers.ts';

/**
 * Trying settings before saving them, in-process: drafts, stored instances whose secret is read
 * from the real keychain, shared credentials, and key sources, against simulators on loopback.
 */
const TOKEN = `wt-${Math.random().toString(36).slice(2)}-Tok9x`;
const PASSWORD = 'manag3rpa55word';

describe('connection tests', () => {
  const sims = serversForBlock({
    webitel: () => startWebitelSimulator({ token: TOKEN }),
    isym: () => startISymphonySimulator(),
    loway: () => startLowaySimulator(),
    qlm: () => startQlmSimulator({ flavor: 'asmx', vendor: 'v', user: 'u', password: 'p', serverVersion: '17.0.1' }),
  });
  let ctx: Context;
  beforeAll(async () => {
    ctx = serviceContext();
    await addInstance(ctx, { name: 'wt', kind: 'webitel', url: sims.webitel.url, secret: TOKEN });
    await addCredential(ctx, { name: 'isym-admin', user: 'manager', secret: PASSWORD });
  });

  it('a stored instance is tried with its secret from the keychain', async () => {
    expect(await testInstance(ctx, { ref: 'wt' })).toMatchObject({ ok: true, summary: 'Webitel answered; customer Acme Hosting Ltd' });
    expect(sims.webitel.state.requests.at(-1)).toMatchObject({ token: TOKEN });
  });

  it('a stored instance with a changed field is tried with the change; a wrong draft secret is an error naming it', async () => {
    await expect(testInstance(ctx, { ref: 'wt', draft: { name: 'wt-new', secret: 'not-the-token' } })).rejects.toMatchObject({ code: 'AUTH', message: expect.stringContaining('wt-new') });
  });

  it('a draft that names a shared credential uses its secret; the chosen core server is checked against the list', async () => {
    const ok = await testInstance(ctx, { draft: { kind: 'isymphony', url: sims.isym.url, credential: 'isym-admin', user: 'manager', coreServer: 'default' } });
    expect(ok).toMatchObject({ ok: true, summary: 'iSymphony answered; 2 core server(s): default, acme' });
    const missing = await testInstance(ctx, { draft: { kind: 'isymphony', url: sims.isym.url, credential: 'isym-admin', user: 'manager', coreServer: 'nope' } });
    expect(missing.summary).toContain('the chosen core server "nope" is not among them');
    expect(sims.isym.state.requests.every((r) => r.authOk)).toBe(true);
  });

  it('a draft without kind or url says which is missing, before any request', async () => {
    const sent = sims.webitel.state.requests.length + sims.isym.state.requests.length;
    await expect(testInstance(ctx, { draft: { url: sims.webitel.url } })).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'kind: choose QueueMetrics, iSymphony or Webitel' });
    await expect(testInstance(ctx, { draft: { kind: 'webitel' } })).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'url: is required' });
    expect(sims.webitel.state.requests.length + sims.isym.state.requests.length).toBe(sent);
  });

  it('a Loway key source is asked for its status without converting anything; a QLM source answers PingHttp with its version', async () => {
    await addSource(ctx, { name: 'loway', kind: 'loway-keyserver', url: sims.loway.url });
    await addSource(ctx, { name: 'qlm', kind: 'qlm', url: sims.qlm.baseUrl, vendor: 'v', user: 'u', secret: 'p' });
    const conversions = sims.loway.conversions.size;
    expect(await testSource(ctx, 'loway')).toMatchObject({ ok: true, summary: expect.stringMatching(/^key server 127\.0\.0\.1:\d+ answered/), skewMs: expect.any(Number) });
    expect(sims.loway.conversions.size).toBe(conversions);
    expect(await testSource(ctx, 'qlm')).toMatchObject({ ok: true, summary: expect.stringContaining('(version 17.0.1)') });
    await expect(testSource(ctx, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no key source named "nope"' });
  });
});
