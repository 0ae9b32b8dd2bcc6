/**
 * What a person can do next after an error, as data. A service cannot word it: the CLI user
 * needs a command and the app user a button, so each front end turns these into its own words
 * (electron/cli/next-steps.ts, renderer/src/lib/nextSteps.ts). Carried in an error's
 * `details.nextSteps`.
 */
export type NextStep =
  /** Install a key Keyfleet already holds, without spending another PPK. */
  | { kind: 'install-stored-key'; license: string; instance: string }
  /** Convert a held PPK again for the end-user it was sent for, which recovers that key. */
  | { kind: 'convert-for-holder'; ppk: string; enduser: string }
  /** Release a PPK held by a request the key server may never have received. */
  | { kind: 'release-hold'; ppk: string }
  /** Make the key a QueueMetrics instance runs its license, from a PPK converted before Keyfleet. */
  | { kind: 'adopt-ppk'; ppk: string }
  /** Mark a PPK as converted before Keyfleet, so that it can be adopted (and is never spent). */
  | { kind: 'mark-converted'; ppk: string }
  /** Record the key a drifted QueueMetrics instance runs as its key. */
  | { kind: 'accept-running-key'; instance: string };

export function nextStepsOf(details: Record<string, unknown> | undefined): NextStep[] {
  const steps = details?.nextSteps;
  return Array.isArray(steps) ? (steps as NextStep[]) : [];
}
