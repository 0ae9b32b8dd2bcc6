import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeHttpTransport } from '../../electron/core/net/http.ts';
import { QueueMetricsClient } from '../../electron/core/vendors/queuemetrics/client.ts';
import { ISymphonyClient } from '../../electron/core/vendors/isymphony/client.ts';
import { WebitelClient } from '../../electron/core/vendors/webitel/client.ts';
import { QlmClient } from '../../electron/core/vendors/qlm/client.ts';
import { trackedServer, type TrackedServer } from '../helpers/tracked-server.ts';

/** Each vendor client marks only its reads as idempotent, so only reads ride a pooled connection. */
describe('vendor clients send only their reads as idempotent', () => {
  // The server answers 500 to everything, so each call fails after one exchange; what matters is
  // whether the exchange came on a keep-alive connection (a read) or a fresh one (anything else).
  let srv: TrackedServer;
  let transport: NodeHttpTransport;
  const ignore = () => undefined;
  /** [request path without query, connection header] per request the server saw. */
  const exchanges = () => srv.seen.map((s) => [s.path.split('?')[0], s.connectionHeader]);

  beforeAll(async () => {
    transport = new NodeHttpTransport();
  });
  afterEach(async () => {
    transport.close();
    await srv?.close();
  });

  it('QueueMetrics: the key query is a read, setting a key is not (same XML-RPC method)', async () => {
    srv = await trackedServer('http', undefined, 500);
    const qm = new QueueMetricsClient({ http: transport, baseUrl: `${srv.url}/queuemetrics`, user: 'keyupdater', secret: 'ku-secret' });
    await qm.readKey().catch(ignore);
    await qm.setKey('ABCDEFGH-12345678-ABCDEFGH-12345678').catch(ignore);
    await qm.readKey().catch(ignore);
    expect(exchanges()).toEqual([
      ['/queuemetrics/xmlrpc.do', 'keep-alive'],
      ['/queuemetrics/xmlrpc.do', 'close'],
      ['/queuemetrics/xmlrpc.do', 'keep-alive'],
    ]);
    expect(srv.seen.map((s) => s.conn)).toEqual([1, 2, 1]);
  });

  it('iSymphony: GETs are reads, activation is not', async () => {
    srv = await trackedServer('http', undefined, 500);
    const isy = new ISymphonyClient({ http: transport, baseUrl: srv.url, user: 'manager', secret: 'pw' });
    await isy.listCoreServers().catch(ignore);
    await isy.readLicense('default').catch(ignore);
    await isy.activate('default', 'SERIAL-1', null).catch(ignore);
    expect(exchanges()).toEqual([
      ['/communication_manager/rest/config/server/coreServers', 'keep-alive'],
      ['/communication_manager/rest/config/server/coreServers/getByName/default/license', 'keep-alive'],
      ['/communication_manager/rest/config/server/coreServers/getByName/default/license/activate', 'close'],
    ]);
  });

  it('Webitel: GETs are reads, POST/PUT are not', async () => {
    srv = await trackedServer('http', undefined, 500);
    const wb = new WebitelClient({ http: transport, baseUrl: srv.url, secret: 'token' });
    await wb.listLicenses().catch(ignore);
    await wb.getCustomer().catch(ignore);
    await wb.logoutUser(12).catch(ignore);
    expect(exchanges()).toEqual([
      ['/api/license', 'keep-alive'],
      ['/api/customer', 'keep-alive'],
      ['/api/users/12/logout', 'close'],
    ]);
  });

  it('QLM: PingHttp and ValidateLicenseHttp are reads, key creation and changes are not', async () => {
    srv = await trackedServer('http', undefined, 500);
    const qlm = new QlmClient({ http: transport, baseUrl: `${srv.url}/qlmservice.asmx`, vendor: 'v', user: 'u', secret: 'p' });
    await qlm.ping().catch(ignore);
    await qlm.validateLicense('AAAAA-BBBBB-CCCCC').catch(ignore);
    await qlm.createKeys({ productId: 1, majorVersion: 5, minorVersion: 0, expiry: { days: 30 } }).catch(ignore);
    await qlm.revokeLicense('AAAAA-BBBBB-CCCCC', true).catch(ignore);
    expect(exchanges()).toEqual([
      ['/qlmservice.asmx/PingHttp', 'keep-alive'],
      ['/qlmservice.asmx/ValidateLicenseHttp', 'keep-alive'],
      ['/qlmservice.asmx/GetActivationKeyWithExpiryDate', 'close'],
      ['/qlmservice.asmx/RevokeLicenseHttp', 'close'],
    ]);
  });
});
