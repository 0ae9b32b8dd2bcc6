/** The bits of QLM's license `status` (ELicenseStatus), as Soraco documents them. */
export const QLM_STATUS_BITS = [
  [1, 'NotSet'],
  [2, 'Permanent'],
  [4, 'Demo'],
  [8, 'Invalid'],
  [16, 'ProductInvalid'],
  [32, 'VersionInvalid'],
  [64, 'Expired'],
  [128, 'Tampered'],
  [256, 'MachineInvalid'],
  [512, 'NeedsActivation'],
  [1024, 'ExceededInstances'],
  [2048, 'Revoked'],
] as const;

export type QlmStatusWord = 'NotFound' | (typeof QLM_STATUS_BITS)[number][1];

/** 0 is NotFound; otherwise one word per set bit, lowest first. Unknown bits are left out. */
export function qlmStatusWords(status: number): QlmStatusWord[] {
  if (status === 0) return ['NotFound'];
  return QLM_STATUS_BITS.filter(([bit]) => (status & bit) !== 0).map(([, word]) => word);
}
