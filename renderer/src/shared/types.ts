import type { Result } from '../../../electron/core/api/contract.ts';

// The contract does not re-export the store's types, and the renderer may import only the
// contract; derive what the pages need from the method results instead.
export type LicenseView = Result<'listLicenses'>[number];
export type Client = Result<'listClients'>[number];
export type Credential = Result<'listCredentials'>[number];
export type Settings = Result<'getSettings'>;
export type HistoryEvent = Result<'listHistory'>['events'][number];
export type InstanceKind = InstanceView['kind'];
export type Vendor = LicenseView['vendor'];
export type {
  InstanceView,
  SourceView,
  PpkView,
  StockGroup,
  ActivationResult,
  CheckResult,
  RefreshSummary,
  ConnectionTestResult,
  CapacityRow,
  WebitelHolder,
  ExportResult,
  AppInfo,
  DashboardSummary,
  Input,
  Result,
  Method,
} from '../../../electron/core/api/contract.ts';
import type { InstanceView } from '../../../electron/core/api/contract.ts';
