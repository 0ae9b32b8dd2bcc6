import { Badge, Tooltip } from '@mantine/core';
import { daysLeftColor, daysLeftLabel, daysLeftSentence, STATUS_COLORS, VENDOR_COLORS, vendorLabel } from '../format.ts';
import './Badges.css';

export function VendorBadge({ vendor }: { vendor: string }) {
  return (
    <Badge size="sm" variant="light" color={VENDOR_COLORS[vendor] ?? 'gray'} radius="sm">
      {vendorLabel(vendor)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge size="sm" variant="dot" color={STATUS_COLORS[status] ?? 'gray'} radius="sm">
      {status}
    </Badge>
  );
}

export function DaysLeftBadge({ daysLeft }: { daysLeft: number | null }) {
  return (
    <Badge size="sm" variant={daysLeft !== null && daysLeft < 30 ? 'filled' : 'light'} color={daysLeftColor(daysLeft)} radius="sm" className="kf-num" title={daysLeftSentence(daysLeft)}>
      {daysLeftLabel(daysLeft)}
    </Badge>
  );
}

/** What each drift state means, as the instance pages and the refresh summary say it. */
export const DRIFT_SENTENCES = {
  differs: 'At its last check the instance ran a key other than the one Keyfleet recorded for it',
  unknown: 'At its last check the instance ran a key Keyfleet has no record of',
} as const;

export function DriftBadge({ drift }: { drift: 'none' | 'differs' | 'unknown' | undefined }) {
  if (!drift || drift === 'none') return null;
  const label = drift === 'differs' ? 'drift' : 'unknown key';
  const tip = drift === 'differs' ? DRIFT_SENTENCES.differs : DRIFT_SENTENCES.unknown;
  return (
    <Tooltip label={tip} withArrow>
      <Badge size="sm" color={drift === 'differs' ? 'red' : 'yellow'} variant="light" radius="sm">
        {label}
      </Badge>
    </Tooltip>
  );
}

export type Health = 'ok' | 'warn' | 'error' | 'unknown';

export function StatusDot({ health, label }: { health: Health; label: string }) {
  return (
    <Tooltip label={label} withArrow openDelay={300}>
      <span className={`kf-dot kf-dot-${health}`} role="img" aria-label={label} />
    </Tooltip>
  );
}
