/** What the "Bring your fleet" form holds, and its checks (the main process checks again). */
export interface OnboardingFormValues {
  source: 'urls' | 'csv';
  urls: string;
  csv: string;
  fileName: string;
  client: string;
  user: string;
  secret: string;
}

export const EMPTY_ONBOARDING_FORM: OnboardingFormValues = { source: 'urls', urls: '', csv: '', fileName: '', client: '', user: '', secret: '' };

export function validateOnboardingForm(v: OnboardingFormValues): Partial<Record<keyof OnboardingFormValues, string>> {
  const errors: Partial<Record<keyof OnboardingFormValues, string>> = {};
  if (v.source === 'urls' && !v.urls.trim()) errors.urls = 'Paste one instance URL a line';
  if (v.source === 'csv' && !v.csv.trim()) errors.csv = 'Choose the CSV file';
  return errors;
}

/** The run's input as the contract takes it: only what was filled in. */
export function toRunInput(v: OnboardingFormValues) {
  const text = (s: string) => (s.trim() ? s.trim() : undefined);
  return {
    ...(v.source === 'urls' ? { urls: v.urls, client: text(v.client), user: text(v.user) } : { csv: v.csv, fileName: text(v.fileName) }),
    secret: v.secret ? v.secret : undefined,
  };
}
