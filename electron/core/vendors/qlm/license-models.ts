/**
 * QLM's license models (is_licensemodel): a base model, optionally cloud or floating. Kept apart
 * from the request encoder so the API contract, and the window through it, can list them
 * without loading the QLM client.
 */
export const QLM_LICENSE_MODELS = [
  'permanent',
  'permanent_cloud',
  'permanent_floating',
  'trial',
  'trial_cloud',
  'trial_floating',
  'subscription',
  'subscription_cloud',
  'subscription_floating',
] as const;
export type QlmLicenseModel = (typeof QLM_LICENSE_MODELS)[number];
export type QlmBaseLicenseModel = 'permanent' | 'trial' | 'subscription';
