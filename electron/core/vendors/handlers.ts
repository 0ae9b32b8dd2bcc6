import type { Context } from '../context.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { Method, vendorSlices } from '../api/contract.ts';
import type { JobRegistry } from '../services/jobs.ts';
import { VENDORS, type Vendor } from '../store/schema.ts';
import { queueMetricsHandlers } from './queuemetrics/handlers.ts';
import { isymphonyHandlers } from './isymphony/handlers.ts';
import { webitelHandlers } from './webitel/handlers.ts';
import { qlmHandlers } from './qlm/handlers.ts';

type VendorSlices = typeof vendorSlices;
// Indexed so that a vendor still missing its contract slice is reported once, in contract.ts.
type SliceMethod<V extends Vendor> = V extends keyof VendorSlices ? keyof VendorSlices[V] & Method : never;
/** What one vendor's folder answers: exactly the methods of its contract slice. */
export type VendorHandlers<V extends Vendor> = Pick<Handlers, SliceMethod<V>>;
type HandlerSet<V extends Vendor> = (ctx: Context, jobs: JobRegistry) => VendorHandlers<V>;
type HandlerSets = { [V in Vendor]: HandlerSet<V> };

/** The methods a vendor's set answers beyond its contract slice; none, or `handlerSets` fails the type-check naming them. */
type ExtraMethods<S, V extends Vendor> = S extends (...args: never[]) => infer H ? Exclude<keyof H, SliceMethod<V>> : never;
type OnlyTheirSlices<S extends HandlerSets> = { [V in Vendor]: [ExtraMethods<S[V], V>] extends [never] ? unknown : { handlesMethodsOutsideItsSlice: ExtraMethods<S[V], V> } };
const keyedByVendor = <S extends HandlerSets & OnlyTheirSlices<S>>(sets: S): HandlerSets => sets;

/** One handler set per vendor, by vendor: a vendor in vendor-names.ts without one, or with a method missing or extra, fails the type-check. */
const handlerSets = keyedByVendor({
  queuemetrics: queueMetricsHandlers,
  isymphony: isymphonyHandlers,
  webitel: webitelHandlers,
  qlm: qlmHandlers,
});

/** Every vendor's slice of the API, sharing the app's job registry (so `cancelJob` reaches their jobs). */
export function vendorHandlers(ctx: Context, jobs: JobRegistry): Pick<Handlers, { [V in Vendor]: SliceMethod<V> }[Vendor]> {
  return Object.assign({}, ...VENDORS.map((vendor) => handlerSets[vendor](ctx, jobs)));
}
