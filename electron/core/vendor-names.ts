/**
 * The vendors Keyfleet knows, one line each: plain data with no imports, so the CLI's help and
 * usage, CSV column help and the renderer can name them without loading the store schema. The
 * store schema validates against the lists derived here, and the type-check then asks for
 * everything else a new vendor needs (its driver, contract slice, handlers and instance page):
 * see docs/adding-a-vendor.md.
 *
 * `instance: true` when Keyfleet reads the vendor's product on a customer's server (an instance
 * kind); QLM is a vendor whose licenses come from a key source instead. `colour` is the Mantine
 * colour the window marks the vendor's licenses with.
 */
const VENDOR_TABLE = [
  { name: 'queuemetrics', label: 'QueueMetrics', colour: 'blue', instance: true },
  { name: 'isymphony', label: 'iSymphony', colour: 'grape', instance: true },
  { name: 'webitel', label: 'Webitel', colour: 'cyan', instance: true },
  { name: 'qlm', label: 'QLM', colour: 'orange', instance: false },
] as const satisfies readonly { name: string; label: string; colour: string; instance: boolean }[];

type VendorRow = (typeof VENDOR_TABLE)[number];
// The lists keep their literal tuple types (z.enum, `INSTANCE_KINDS[0]`, `(typeof VENDORS)[number]` rely on them).
type NamesOf<Rows extends readonly VendorRow[]> = { readonly [I in keyof Rows]: Rows[I]['name'] };
type InstanceNamesOf<Rows extends readonly VendorRow[]> = Rows extends readonly [infer First extends VendorRow, ...infer Rest extends readonly VendorRow[]]
  ? First['instance'] extends true
    ? readonly [First['name'], ...InstanceNamesOf<Rest>]
    : InstanceNamesOf<Rest>
  : readonly [];
type Column<C extends 'label' | 'colour'> = { readonly [R in VendorRow as R['name']]: R[C] };

export const VENDORS = VENDOR_TABLE.map((v) => v.name) as unknown as NamesOf<typeof VENDOR_TABLE>;
export const INSTANCE_KINDS = VENDOR_TABLE.filter((v) => v.instance).map((v) => v.name) as unknown as InstanceNamesOf<typeof VENDOR_TABLE>;
/** How each vendor is named to the user, in every interface. */
export const VENDOR_LABELS = Object.fromEntries(VENDOR_TABLE.map((v) => [v.name, v.label])) as Column<'label'>;
/** The colour each vendor's licenses are marked with in the window (named as the renderer's STATUS_COLORS). */
export const VENDOR_COLORS = Object.fromEntries(VENDOR_TABLE.map((v) => [v.name, v.colour])) as Column<'colour'>;

/** "a, b or c": a list of names as a sentence reads it. */
export function namesOr(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}
