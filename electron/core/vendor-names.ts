/**
 * The vendors and instance kinds Keyfleet knows, by name: plain data with no imports, so the CLI's
 * help and usage, CSV column help and the renderer can name them without loading the store
 * schema. The store schema validates against these lists; a new vendor is named here once.
 */
export const INSTANCE_KINDS = ['queuemetrics', 'isymphony', 'webitel'] as const;
export const VENDORS = ['queuemetrics', 'isymphony', 'webitel', 'qlm'] as const;
/** How each vendor is named to the user, in every interface. */
export const VENDOR_LABELS = { queuemetrics: 'QueueMetrics', isymphony: 'iSymphony', webitel: 'Webitel', qlm: 'QLM' } as const satisfies Record<(typeof VENDORS)[number], string>;

/** "a, b or c": a list of names as a sentence reads it. */
export function namesOr(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}
