import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Runs test/vendors/queuemetrics/qm_xmlrpc.py (a Python standard-library QueueMetrics XML-RPC peer) as a
 * child process and drives it over stdin. See that file for what it simulates.
 */
export type QmSimMode = 'ok' | 'http401' | 'http403' | 'http500' | 'hang' | 'html200' | 'malformed';

export interface QmSimUser {
  login: string;
  password: string;
  /** Security keys the user holds, e.g. ['ROBOT', 'KEYUPDATE']. */
  keys: string[];
  disabled?: boolean;
}

export interface QmSimOptions {
  /** The key installed at start. */
  key?: string;
  mode?: QmSimMode;
  /** How long the instance refuses connections after a key is set; negative = never comes back (default 800). */
  restartMs?: number;
  /** After coming back, answer 503 for this long (Tomcat still loading the webapp). */
  startingMs?: number;
  /** After the restart keep the old key, as if QueueMetrics had refused the new one. */
  keepOldKey?: boolean;
  /**
   * Users; default: keyupdater/ku-secret (ROBOT+KEYUPDATE), robot/robot-secret (ROBOT only),
   * sleeper/sleeper-secret (ROBOT+KEYUPDATE, disabled).
   */
  users?: QmSimUser[];
}

export interface QmSimEvent {
  type: 'call' | 'restarting' | 'up';
  method?: string;
  login?: string;
  outcome?: 'query' | 'set' | 'auth-failed' | 'denied' | 'disabled';
  newKey?: string;
  key?: string;
  downMs?: number;
}

export interface QmSimulator {
  port: number;
  /** The QueueMetrics webapp, http://127.0.0.1:<port>/queuemetrics */
  baseUrl: string;
  /** The XML-RPC endpoint, <baseUrl>/xmlrpc.do */
  xmlrpcUrl: string;
  /** Calls and restarts, in order. Events reach us on a pipe, after the HTTP answer: call sync() before reading. */
  events: QmSimEvent[];
  /** Resolves once every event the simulator has emitted so far is in `events`. */
  sync(): Promise<void>;
  setMode(mode: QmSimMode): Promise<void>;
  /** Install a key directly (as if edited in web.xml). */
  setKey(key: string): Promise<void>;
  setRestartMs(ms: number): Promise<void>;
  setStartingMs(ms: number): Promise<void>;
  setKeepOldKey(keep: boolean): Promise<void>;
  /** Start an instance that went down for good (restartMs < 0), with or without the key it was given. */
  bringUp(withNewKey: boolean): Promise<void>;
  /** Resolves when the next event of this type arrives (or one already arrived after `since`). */
  waitForEvent(type: QmSimEvent['type'], since?: number, timeoutMs?: number): Promise<QmSimEvent>;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./qm_xmlrpc.py', import.meta.url));

export async function startQmSimulator(opts: QmSimOptions = {}): Promise<QmSimulator> {
  const args = [SCRIPT, '--restart-ms', String(opts.restartMs ?? 800), '--starting-ms', String(opts.startingMs ?? 0)];
  if (opts.key !== undefined) args.push('--key', opts.key);
  if (opts.mode) args.push('--mode', opts.mode);
  if (opts.keepOldKey) args.push('--keep-old-key');
  for (const u of opts.users ?? []) {
    args.push('--user', `${u.login}:${u.password}:${u.keys.join('+')}${u.disabled ? ':disabled' : ''}`);
  }
  const child: ChildProcess = spawn('python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: QmSimEvent[] = [];
  const acks: Array<{ cmd: string; resolve: () => void; reject: (e: Error) => void }> = [];
  const eventWaiters = new Set<() => void>();
  let stderr = '';
  let exited = false;
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`QM simulator did not start within 10 s: ${stderr}`)), 10_000);
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('PORT ')) {
        clearTimeout(timer);
        resolve(Number(line.slice(5)));
      } else if (line.startsWith('EVENT ')) {
        events.push(JSON.parse(line.slice(6)) as QmSimEvent);
        for (const w of eventWaiters) w();
      } else if (line.startsWith('ACK ') || line.startsWith('ERR ')) {
        const waiter = acks.shift();
        if (line.startsWith('ACK ')) waiter?.resolve();
        else waiter?.reject(new Error(`QM simulator: ${line}`));
      }
    });
    child.once('exit', (code) => {
      exited = true;
      clearTimeout(timer);
      reject(new Error(`QM simulator exited (${code}) before listening: ${stderr}`));
      for (const a of acks.splice(0)) a.reject(new Error('QM simulator exited'));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });

  const command = (cmd: string, arg: string) =>
    new Promise<void>((resolve, reject) => {
      if (exited) return reject(new Error('QM simulator has exited'));
      acks.push({ cmd, resolve, reject });
      child.stdin!.write(`${cmd} ${arg}\n`);
    });

  const baseUrl = `http://127.0.0.1:${port}/queuemetrics`;
  return {
    port,
    baseUrl,
    xmlrpcUrl: `${baseUrl}/xmlrpc.do`,
    events,
    sync: () => command('sync', ''),
    setMode: (mode) => command('mode', mode),
    setKey: (key) => command('key', key),
    setRestartMs: (ms) => command('restart-ms', String(ms)),
    setStartingMs: (ms) => command('starting-ms', String(ms)),
    setKeepOldKey: (keep) => command('keep-old-key', keep ? '1' : '0'),
    bringUp: (withNewKey) => command('up', withNewKey ? 'new' : 'old'),
    waitForEvent: (type, since = 0, timeoutMs = 10_000) =>
      new Promise<QmSimEvent>((resolve, reject) => {
        const check = () => {
          const found = events.slice(since).find((e) => e.type === type);
          if (!found) return false;
          clearTimeout(timer);
          eventWaiters.delete(onEvent);
          resolve(found);
          return true;
        };
        const onEvent = () => void check();
        const timer = setTimeout(() => {
          eventWaiters.delete(onEvent);
          reject(new Error(`QM simulator: no '${type}' event within ${timeoutMs} ms`));
        }, timeoutMs);
        eventWaiters.add(onEvent);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.stdin!.end(); // the simulator exits at end of stdin
      }),
  };
}
