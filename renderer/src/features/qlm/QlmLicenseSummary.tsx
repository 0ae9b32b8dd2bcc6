import { DaysLeftBadge, StatusBadge } from '../../shared/ui/Badges.tsx';
import { MaskedKey } from '../../shared/ui/MaskedKey.tsx';
import { formatDate, formatLimits } from '../../shared/format.ts';
import type { LicenseView } from '../../shared/types.ts';

export function QlmLicenseSummary({ license }: { license: LicenseView }) {
  return (
    <dl className="kf-dl">
      <dt>Key</dt>
      <dd>
        <MaskedKey value={license.key} />
      </dd>
      <dt>Product</dt>
      <dd>{license.product}</dd>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={license.status} />
      </dd>
      <dt>Expires</dt>
      <dd>
        {formatDate(license.expiresAt)} <DaysLeftBadge daysLeft={license.daysLeft} />
      </dd>
      {license.maintenanceExpiresAt ? (
        <>
          <dt>Maintenance</dt>
          <dd>{formatDate(license.maintenanceExpiresAt)}</dd>
        </>
      ) : null}
      <dt>Limits</dt>
      <dd>{formatLimits(license.limits)}</dd>
      {license.client ? (
        <>
          <dt>Client</dt>
          <dd>{license.client}</dd>
        </>
      ) : null}
    </dl>
  );
}
