/** The steps activatePpk and installStoredKey report (services/activation.ts), as a person reads them. */
const STEP_LABELS: Record<string, string> = {
  choosing: 'Choosing the PPK',
  checking: 'Checking the instance',
  converting: 'Converting the PPK',
  converted: 'Key stored',
  installing: 'Installing',
  'waiting-restart': 'Waiting for the restart',
  verifying: 'Reading the key back',
  verified: 'Verified',
};

export function activationStepLabel(step: string): string {
  return STEP_LABELS[step] ?? step;
}

/** From these steps on the key is saved in Keyfleet: stopping only stops the waiting, no PPK is lost. */
const AFTER_CONVERSION = new Set(['converted', 'installing', 'waiting-restart', 'verifying']);

export function keyIsStored(step: string | undefined): boolean {
  return step !== undefined && AFTER_CONVERSION.has(step);
}
