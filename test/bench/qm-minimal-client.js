/**
 * The reference for the refresh benchmark: the least a program can do to read the key of N
 * QueueMetrics instances with the limits `keyfleet refresh` uses. It sends the same XML-RPC call
 * (QM.setActivationKey with an empty newKey: a query), over plain http with keep-alive
 * connections pooled as Keyfleet pools them, at most `concurrency` requests in flight and at most
 * `perHost` per host:port, hosts taken round-robin. It parses only enough of each answer to find
 * the key, and keeps no store, journal or keychain.
 *
 * Plain JavaScript on purpose: `keyfleet` runs a prebuilt JavaScript bundle, and stripping types
 * from a .ts file would add ~40 ms of start-up to the reference that the CLI does not pay.
 *
 * stdin: {"urls": [...], "login": "...", "password": "...", "concurrency": 32, "perHost": 2}
 * stdout: {"checked": N, "failed": F, "durationMs": T, "keys": [key or null, in URL order]}
 */
import http from 'node:http';

const KEY_ROW = /<value><string>Key<\/string><\/value>\s*<value><string>([^<]*)<\/string><\/value>/;

function xmlString(s) {
  return s === '' ? '<string/>' : `<string>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string>`;
}

function queryBody(login, password) {
  const params = [login, password, ''].map((p) => `<param><value>${xmlString(p)}</value></param>`).join('');
  return `<?xml version="1.0"?><methodCall><methodName>QM.setActivationKey</methodName><params>${params}</params></methodCall>`;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const job = await readStdin();
const started = performance.now();
const body = queryBody(job.login, job.password);
const headers = {
  'user-agent': 'Keyfleet',
  'content-type': 'text/xml; charset=utf-8',
  accept: 'text/xml',
  'content-length': String(Buffer.byteLength(body)),
};
// The same pool settings as Keyfleet's transport.
const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 4, timeout: 4000, scheduling: 'lifo' });

/** One query; resolves to the key, null when the answer has none, or an Error. */
function readKey(url) {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200 || text.includes('<fault>')) resolve(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        else resolve(KEY_ROW.exec(text)?.[1] ?? null);
      });
      res.on('error', resolve);
    });
    req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
    req.on('error', resolve);
    req.end(body);
  });
}

const keys = new Array(job.urls.length).fill(null);
let failed = 0;
// Waiting work per host, in order; hosts served round-robin under both limits.
const queues = new Map();
job.urls.forEach((url, i) => {
  const host = new URL(url).host;
  if (!queues.has(host)) queues.set(host, { items: [], next: 0, running: 0 });
  queues.get(host).items.push(i);
});
const hosts = [...queues.values()];
let cursor = 0;
let active = 0;
let remaining = job.urls.length;

await new Promise((resolve) => {
  if (remaining === 0) return resolve();
  const pump = () => {
    while (active < job.concurrency) {
      let picked = null;
      for (let n = 0; n < hosts.length; n++) {
        const q = hosts[(cursor + n) % hosts.length];
        if (q.next < q.items.length && q.running < job.perHost) {
          cursor = (cursor + n + 1) % hosts.length;
          picked = q;
          break;
        }
      }
      if (!picked) return;
      const i = picked.items[picked.next++];
      const q = picked;
      active++;
      q.running++;
      readKey(job.urls[i]).then((key) => {
        if (key instanceof Error) failed++;
        else keys[i] = key;
        active--;
        q.running--;
        if (--remaining === 0) resolve();
        else pump();
      });
    }
  };
  pump();
});
const durationMs = performance.now() - started;
agent.destroy();
process.stdout.write(`${JSON.stringify({ checked: job.urls.length, failed, durationMs, keys })}\n`);
