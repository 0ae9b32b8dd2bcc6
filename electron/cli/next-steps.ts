import { KeyfleetError, toErrorInfo } from '../core/errors.ts';
import { nextStepsOf, type NextStep } from '../core/next-steps.ts';
import { shellWord } from '../core/shell-word.ts';

/**
 * The next steps services attach to their errors, and drift's, as `keyfleet` commands: a CLI
 * user is told what to type, never which button to press. Light on purpose (no services).
 */

export function nextStepCommand(step: NextStep): string {
  switch (step.kind) {
    case 'install-stored-key':
      return `keyfleet ppk install ${shellWord(step.license)} --instance ${shellWord(step.instance)}`;
    case 'convert-for-holder':
      return `keyfleet ppk convert ${shellWord(step.ppk)} --enduser ${shellWord(step.enduser)} --email ADDRESS`;
    case 'release-hold':
      return `keyfleet ppk release ${shellWord(step.ppk)}`;
    case 'adopt-ppk':
      return `keyfleet instance adopt INSTANCE --ppk ${shellWord(step.ppk)}`;
    case 'accept-running-key':
      return `keyfleet instance accept-key ${shellWord(step.instance)}`;
    case 'mark-converted':
      return `keyfleet ppk add ${shellWord(step.ppk)} --converted`;
  }
}

/** The error with its next steps written out as commands (unchanged when it has none). */
export function withCliNextSteps(e: unknown): unknown {
  const info = toErrorInfo(e);
  const steps = nextStepsOf(info.details);
  if (steps.length === 0) return e;
  const commands = steps.map((s) => `  ${nextStepCommand(s)}`).join('\n');
  return new KeyfleetError(info.code, `${info.message}:\n${commands}`, info.details, { cause: e });
}

/** Run a command's work so that its errors carry their next steps as commands. */
export async function withNextSteps<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw withCliNextSteps(e);
  }
}

export interface DriftLine {
  instance: string;
  state: 'differs' | 'unknown-key';
  recordedLicenseId: string | null;
  runningKeyOf: string | null;
}

/** What drift means for one instance, and the commands that resolve it. */
export function driftAdvice(d: DriftLine): string {
  const name = shellWord(d.instance);
  const accept = `keyfleet instance accept-key ${name}`;
  if (d.runningKeyOf) {
    return `${d.instance} runs the key recorded for instance ${d.runningKeyOf}: if both are one server, remove one (keyfleet instance remove ${name})` +
      (d.recordedLicenseId ? `; otherwise put its own key back (keyfleet ppk install ${shellWord(d.recordedLicenseId)} --instance ${name})` : '');
  }
  if (d.state === 'unknown-key') {
    return `${d.instance} runs a key Keyfleet has no record of: adopt it with its expiry, from the PPK it was converted from (keyfleet instance adopt ${name} --ppk PPK) or from its License page (keyfleet instance adopt ${name} --expires DATE --agents N --servers N), record it as this instance's key (${accept}), or activate a PPK there (keyfleet ppk activate --instance ${name})`;
  }
  return `${d.instance} runs a key other than the one Keyfleet recorded: ` +
    (d.recordedLicenseId ? `put the recorded key back (keyfleet ppk install ${shellWord(d.recordedLicenseId)} --instance ${name}), or ` : '') +
    `record the running key as this instance's key (${accept})`;
}
