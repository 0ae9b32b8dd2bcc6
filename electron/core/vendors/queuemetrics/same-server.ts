import type { Instance, InstanceKind } from '../../store/schema.ts';
import { KeyfleetError } from '../../errors.ts';
import { queueMetricsXmlRpcUrl } from './url.ts';

/**
 * The server a QueueMetrics instance really talks to, whatever way its URL was typed: the
 * client's own rule for completing a URL decides it, so `http://host:18082` and
 * `http://host:18082/queuemetrics` are one QueueMetrics. It runs one key, which Keyfleet records
 * for one instance; two instances on it each claimed that key on every check, so a second one is
 * refused.
 *
 * Only QueueMetrics: an iSymphony host serves several core servers and a Webitel server several
 * domains, each an instance of its own with its own credentials, and their licenses are kept
 * per instance, so nothing passes between instances that share a host.
 */
export function instanceEndpoint(i: { kind: InstanceKind; url: string }): string | null {
  return i.kind === 'queuemetrics' ? queueMetricsXmlRpcUrl(i.url) : null;
}

type Candidate = Pick<Instance, 'kind' | 'url'> & { id?: string };

/**
 * The instances by endpoint, each URL normalised once: an import of thousands of rows checks
 * each row against thousands of instances.
 */
export class EndpointIndex {
  readonly #byEndpoint = new Map<string, Instance[]>();

  constructor(instances: readonly Instance[] = []) {
    for (const i of instances) this.add(i);
  }

  add(instance: Instance): void {
    let endpoint: string | null;
    try {
      endpoint = instanceEndpoint(instance);
    } catch {
      return; // a stored URL its client cannot use is no one's endpoint
    }
    if (endpoint) this.#byEndpoint.set(endpoint, [...(this.#byEndpoint.get(endpoint) ?? []), instance]);
  }

  /** The instance already on the candidate's endpoint, if any (the candidate itself aside). */
  find(candidate: Candidate): Instance | undefined {
    const endpoint = instanceEndpoint(candidate);
    return endpoint ? this.#byEndpoint.get(endpoint)?.find((i) => i.id !== candidate.id) : undefined;
  }
}

/** The instance among `others` that already uses the candidate's endpoint, if any. */
export function instanceOnSameEndpoint(candidate: Candidate, others: readonly Instance[]): Instance | undefined {
  return new EndpointIndex(others).find(candidate);
}

export function sameEndpointConflict(name: string, candidate: Candidate, existing: Instance): KeyfleetError {
  const endpoint = instanceEndpoint(candidate);
  return new KeyfleetError(
    'CONFLICT',
    `url: ${candidate.url} is the same server as instance "${existing.name}" (${existing.url}): both reach ${endpoint}. ` +
      `One QueueMetrics is one instance (two would each claim its key on every check): keep using "${existing.name}" for it instead of "${name}"`,
    { field: 'url', instance: existing.name, instanceId: existing.id, endpoint },
  );
}
