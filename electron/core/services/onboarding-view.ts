import type { OnboardingView } from '../api/onboarding.contract.ts';
import type { OnboardingStatus } from './onboarding.ts';

/** Onboarding as the window shows it: the CLI's commands stay out, the buttons come in. */
export function onboardingView(status: OnboardingStatus): OnboardingView {
  const { state } = status;
  return {
    state: !state ? 'none' : state.finishedAt ? 'finished' : 'unfinished',
    startedAt: state?.startedAt ?? null,
    instances: state?.instanceIds.length ?? 0,
    steps: status.steps,
    adoptPending: status.adoptPending,
    unknowns: status.unknowns.map((u) => ({ kind: u.kind, reason: u.reason, instance: u.instance ?? null, instanceId: u.instanceId ?? null, licenseId: u.licenseId ?? null, action: u.action, qlmMatch: u.qlmMatch ?? null })),
  };
}
