import type { Context } from '../context.ts';
import type { Instance } from '../store/schema.ts';
import type { ConnectionTestResult } from '../api/contract.ts';
import { toErrorInfo } from '../errors.ts';
import { instanceDrivers } from '../vendors/registry.ts';
import { SecretCache, instanceClient } from '../vendors/instance-endpoint.ts';
import { hostOf, runScheduled } from './scheduler.ts';

export interface ConnectionOutcome {
  instanceId: string;
  at: string;
  durationMs: number;
  result?: ConnectionTestResult;
  error?: { code: string; message: string };
}

export interface BulkTestOptions {
  signal?: AbortSignal | undefined;
  onProgress?: (p: { done: number; total: number; ok: number; failed: number; current: string }) => void;
}

/**
 * Try every instance's connection through the scheduler (the settings' global and per-host
 * limits), without changing anything on the instances. A shared credential is read from the
 * keychain once.
 */
export async function testConnections(ctx: Context, instances: readonly Instance[], opts: BulkTestOptions = {}): Promise<{ outcomes: ConnectionOutcome[]; cancelled: boolean }> {
  const settings = ctx.store.data.settings;
  const secrets = new SecretCache(ctx);
  const outcomes: ConnectionOutcome[] = [];
  let ok = 0;
  let failed = 0;
  const { cancelled } = await runScheduled(
    instances.map((instance) => ({
      host: hostOf(instance.url),
      run: async (): Promise<ConnectionOutcome> => {
        const t0 = Date.now();
        const at = ctx.now().toISOString();
        try {
          const driver = instanceDrivers[instance.kind];
          const client = await instanceClient(ctx, instance, driver, secrets);
          const result = await driver.testConnection(client, { coreServer: instance.coreServer });
          return { instanceId: instance.id, at, durationMs: Date.now() - t0, result };
        } catch (e) {
          const info = toErrorInfo(e);
          return { instanceId: instance.id, at, durationMs: Date.now() - t0, error: { code: info.code, message: `instance ${instance.name}: ${info.message}` } };
        }
      },
    })),
    { concurrency: settings.refreshConcurrency, perHost: settings.perHostConcurrency, signal: opts.signal },
    (index, outcome) => {
      if (!outcome.ok) return; // cancelled: not tested
      outcomes.push(outcome.value);
      if (outcome.value.error) failed++;
      else ok++;
      opts.onProgress?.({ done: ok + failed, total: instances.length, ok, failed, current: instances[index]!.name });
    },
  );
  return { outcomes, cancelled };
}
