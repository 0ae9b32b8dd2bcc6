import { z } from 'zod';
import { read, write } from './define.ts';
import { csvText, empty, jobId, optionalText, secret } from './fields.ts';

/** Onboarding ("Bring your fleet"): run or resume it, and what is still unknown afterwards. */

export const ONBOARDING_STEP_NAMES = ['instances', 'test', 'read', 'core-servers', 'qlm', 'adopt'] as const;
export const UNKNOWN_ITEM_KINDS = ['connection', 'unchecked', 'unknown-key', 'unmatched-license'] as const;

export interface OnboardingUnknownView {
  kind: (typeof UNKNOWN_ITEM_KINDS)[number];
  reason: string;
  instance: string | null;
  instanceId: string | null;
  licenseId: string | null;
  /** The button that resolves it. */
  action: string;
  /** QLM licenses without a client: what names their customer on the License Server (Match client confirms it). */
  qlmMatch: { by: 'company' | 'email' | 'key'; value: string } | null;
}

export interface OnboardingView {
  /** No run yet, one stopped midway (resumable), or one finished. */
  state: 'none' | 'unfinished' | 'finished';
  startedAt: string | null;
  instances: number;
  steps: Array<{ step: (typeof ONBOARDING_STEP_NAMES)[number]; label: string; done: boolean; summary: string | null }>;
  /** PPKs marked converted the adopt step would ask the key server about, waiting for the user's yes. */
  adoptPending: { ppks: string[] } | null;
  unknowns: OnboardingUnknownView[];
}

export interface OnboardingRunView extends OnboardingView {
  ran: Array<(typeof ONBOARDING_STEP_NAMES)[number]>;
  durationMs: number;
}

export const onboardingContract = {
  getOnboarding: read<OnboardingView>()(empty),
  runOnboarding: write<OnboardingRunView>()(
    z.strictObject({
      /** Pasted URLs, one a line; or the CSV text; neither resumes the unfinished run. */
      urls: z.string().max(10 * 1024 * 1024).optional(),
      csv: csvText.optional(),
      fileName: optionalText(300),
      client: optionalText(200),
      user: optionalText(200),
      secret: secret.optional(),
      confirmAdopt: z.boolean().optional(),
      jobId,
    }),
  ),
} as const;
