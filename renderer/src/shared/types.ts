// The page's names for what the API contract carries; the contract is the one file of core the
// renderer may import (it re-exports the stored shapes it shows).
import type { InstanceView, KeyfleetEvent, LicenseView } from '../../../electron/core/api/contract.ts';

export type HistoryEvent = KeyfleetEvent;
export type InstanceKind = InstanceView['kind'];
export type Vendor = LicenseView['vendor'];
export type {
  Client,
  Credential,
  Settings,
  LicenseView,
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
  OnboardingView,
  OnboardingRunView,
  OnboardingUnknownView,
  Input,
  Result,
  Method,
} from '../../../electron/core/api/contract.ts';
