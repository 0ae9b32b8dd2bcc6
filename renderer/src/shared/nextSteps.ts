import type { NextStep } from '../../../electron/core/api/contract.ts';
import type { ApiError } from './api/bridge.ts';

/**
 * The next steps a service attached to an error, as an app user reads them: by the button or
 * menu item to use, never by a command (the CLI words them as commands).
 */
export function nextStepSentence(step: NextStep): string {
  switch (step.kind) {
    case 'install-stored-key':
      return `Install the stored key on ${step.instance} with “Install stored key”; no other PPK is spent.`;
    case 'convert-for-holder':
      return `Convert it again for “${step.enduser}” (End-user “${step.enduser}”, or “Convert without installing…” in the PPK’s menu on the Key stock page): the key server gives back the key it made.`;
    case 'release-hold':
      return 'If the key server made no key from it, release it: “Release hold…” in the PPK’s menu on the Key stock page.';
    case 'adopt-ppk':
      return `Open the instance that runs its key and use “Adopt key…” on its QueueMetrics panel, choosing ${step.ppk}.`;
    case 'accept-running-key':
      return `Record the running key as ${step.instance}’s key with “Accept running key” on its page, then adopt it.`;
    case 'mark-converted':
      return `If ${step.ppk} was converted before Keyfleet, add it again on the Key stock page with “Already converted” ticked.`;
  }
}

export function nextSteps(error: ApiError | null): NextStep[] {
  const steps = error?.details?.nextSteps;
  return Array.isArray(steps) ? (steps as NextStep[]) : [];
}
