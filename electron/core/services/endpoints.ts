import type { Instance, InstanceKind } from '../store/schema.ts';
import { KeyfleetError } from '../errors.ts';
import { queueMetricsXmlRpcUrl } from '../vendors/queuemetrics-url.ts';
import { isymphonyRestRoot } from '../vendors/isymphony.ts';
import { webitelApiBase } from '../vendors/webitel.ts';

/**
 * The server an instance really talks to, whatever way its URL was typed: each vendor client's
 * own rule for completing a URL decides it, so `http://host:18082` and
 * `http://host:18082/queuemetrics` are one QueueMetrics. Two instances on one endpoint read the
 * same license, and each check would hand it from one to the other; so a second one is refused.
 */
export interface Endpoint {
  /** The normalised endpoint, e.g. http://host:18082/queuemetrics/xmlrpc.do */
  url: string;
  /** iSymphony: the one core server the instance covers, or null for all of them. */
  coreServer: string | null;
}

export function instanceEndpoint(i: { kind: InstanceKind; url: string; coreServer?: string | undefined }): Endpoint {
  switch (i.kind) {
    case 'queuemetrics':
      return { url: queueMetricsXmlRpcUrl(i.url), coreServer: null };
    case 'isymphony':
      return { url: isymphonyRestRoot(i.url), coreServer: i.coreServer?.trim().toLowerCase() || null };
    case 'webitel':
      return { url: webitelApiBase(i.url), coreServer: null };
  }
}

/** Hosts compare case-insensitively (URL already lower-cases them); paths as the server sees them. */
function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  if (a.url !== b.url) return false;
  // An iSymphony instance without a core server covers every core server on the host.
  return a.coreServer === null || b.coreServer === null || a.coreServer === b.coreServer;
}

type Candidate = Pick<Instance, 'kind' | 'url' | 'coreServer'> & { id?: string };

/**
 * The instances by endpoint, each URL normalised once: an import of thousands of rows checks
 * each row against thousands of instances.
 */
export class EndpointIndex {
  readonly #byUrl = new Map<string, Array<{ instance: Instance; endpoint: Endpoint }>>();

  constructor(instances: readonly Instance[] = []) {
    for (const i of instances) this.add(i);
  }

  add(instance: Instance): void {
    let endpoint: Endpoint;
    try {
      endpoint = instanceEndpoint(instance);
    } catch {
      return; // a stored URL its client cannot use is no one's endpoint
    }
    const key = `${instance.kind} ${endpoint.url}`;
    this.#byUrl.set(key, [...(this.#byUrl.get(key) ?? []), { instance, endpoint }]);
  }

  /** The instance already on the candidate's endpoint, if any (the candidate itself aside). */
  find(candidate: Candidate): Instance | undefined {
    const mine = instanceEndpoint(candidate);
    return this.#byUrl.get(`${candidate.kind} ${mine.url}`)?.find((e) => e.instance.id !== candidate.id && sameEndpoint(mine, e.endpoint))?.instance;
  }
}

/** The instance among `others` that already uses the candidate's endpoint, if any. */
export function instanceOnSameEndpoint(candidate: Candidate, others: readonly Instance[]): Instance | undefined {
  return new EndpointIndex(others).find(candidate);
}

export function sameEndpointConflict(name: string, candidate: Pick<Instance, 'kind' | 'url' | 'coreServer'>, existing: Instance): KeyfleetError {
  const endpoint = instanceEndpoint(candidate);
  const where = endpoint.coreServer ? `${endpoint.url} (core server ${endpoint.coreServer})` : endpoint.url;
  return new KeyfleetError(
    'CONFLICT',
    `url: ${candidate.url} is the same server as instance "${existing.name}" (${existing.url}): both reach ${where}. ` +
      `One server is one instance (two would pass its license back and forth on every check): keep using "${existing.name}" for it instead of "${name}"`,
    { field: 'url', instance: existing.name, instanceId: existing.id, endpoint: endpoint.url },
  );
}
