import type { DialogRequest } from './routes.ts';
import { ClientFormDialog } from '../features/clients/ClientFormDialog.tsx';
import { InstanceFormDialog } from '../features/instances/InstanceFormDialog.tsx';
import { ActivatePpkDialog } from '../features/queuemetrics/ActivatePpkDialog.tsx';
import { BulkActivateDialog } from '../features/queuemetrics/BulkActivateDialog.tsx';
import { BulkRefreshDialog } from '../features/instances/BulkRefreshDialog.tsx';
import { ConvertPpkDialog } from '../features/queuemetrics/ConvertPpkDialog.tsx';
import { LicenseSettingsDialog } from '../features/licenses/LicenseSettingsDialog.tsx';
import { ExportDialog } from '../shared/ui/ExportDialog.tsx';
import { ImportInstancesCsvDialog } from '../features/instances/ImportInstancesCsvDialog.tsx';
import { ImportPpksDialog } from '../features/stock/ImportPpksDialog.tsx';
import { InstallStoredKeyDialog } from '../features/queuemetrics/InstallStoredKeyDialog.tsx';
import { AdoptKeyDialog } from '../features/queuemetrics/AdoptKeyDialog.tsx';
import { QlmCreateDialog } from '../features/qlm/QlmCreateDialog.tsx';
import { QlmRenewDialog } from '../features/qlm/QlmRenewDialog.tsx';
import { QlmUpdateDialog } from '../features/qlm/QlmUpdateDialog.tsx';
import { QlmValidateDialog } from '../features/qlm/QlmValidateDialog.tsx';
import { ShortcutsDialog } from './ShortcutsDialog.tsx';
import { SourceFormDialog } from '../features/stock/SourceFormDialog.tsx';

/** The one place app-wide dialogs are mounted, so the palette, tables and dashboard can open any of them. */
export function DialogHost({ request, onClose }: { request: DialogRequest | null; onClose: () => void }) {
  if (!request) return null;
  switch (request.kind) {
    case 'addClient':
      return <ClientFormDialog opened onClose={onClose} />;
    case 'editClient':
      return <ClientFormDialog opened client={request.client} onClose={onClose} />;
    case 'addInstance':
      return <InstanceFormDialog opened onClose={onClose} {...(request.clientId ? { clientId: request.clientId } : {})} />;
    case 'editInstance':
      return <InstanceFormDialog opened instance={request.instance} onClose={onClose} />;
    case 'importInstancesCsv':
      return <ImportInstancesCsvDialog onClose={onClose} />;
    case 'importPpks':
      return <ImportPpksDialog onClose={onClose} />;
    case 'addSource':
      return <SourceFormDialog onClose={onClose} initialKind={request.sourceKind ?? 'loway-keyserver'} />;
    case 'editSource':
      return <SourceFormDialog onClose={onClose} source={request.source} />;
    case 'activatePpk':
      return <ActivatePpkDialog onClose={onClose} instanceId={request.instanceId} ppkId={request.ppkId} />;
    case 'activateBulk':
      return <BulkActivateDialog onClose={onClose} instanceIds={request.instanceIds} />;
    case 'convertPpk':
      return <ConvertPpkDialog onClose={onClose} ppkId={request.ppkId} />;
    case 'licenseSettings':
      return <LicenseSettingsDialog onClose={onClose} license={request.license} />;
    case 'installStoredKey':
      return <InstallStoredKeyDialog onClose={onClose} instanceId={request.instanceId} licenseId={request.licenseId} />;
    case 'adoptKey':
      return <AdoptKeyDialog onClose={onClose} instanceId={request.instanceId} />;
    case 'qlmCreate':
      return <QlmCreateDialog onClose={onClose} sourceId={request.sourceId} />;
    case 'qlmUpdate':
      return <QlmUpdateDialog onClose={onClose} initialKey={request.key} sourceId={request.sourceId} />;
    case 'qlmRenew':
      return <QlmRenewDialog onClose={onClose} licenseKey={request.key} />;
    case 'qlmValidate':
      return <QlmValidateDialog onClose={onClose} initialKey={request.key} />;
    case 'refresh':
      return <BulkRefreshDialog onClose={onClose} instanceIds={request.instanceIds} label={request.label ?? 'instances'} />;
    case 'export':
      return <ExportDialog onClose={onClose} what={request.what} ids={request.ids} instance={request.instance} />;
    case 'shortcuts':
      return <ShortcutsDialog onClose={onClose} />;
  }
}
