import { Group, Paper, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { VENDOR_COLORS, vendorLabel } from '../../shared/format.ts';
import type { LicenseView } from '../../shared/types.ts';
import { VENDORS } from '../../../../electron/core/api/contract.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const VENDOR_ORDER = VENDORS;

export interface MonthBucket {
  key: string;
  label: string;
  year: number;
  total: number;
  byVendor: Record<string, number>;
}

/** Licenses expiring in each of the next 12 calendar months, this month first. */
export function bucketByMonth(licenses: readonly LicenseView[], now: Date = new Date()): MonthBucket[] {
  const buckets: MonthBucket[] = [];
  const index = new Map<string, MonthBucket>();
  for (let i = 0; i < 12; i++) {
    const d = new Date(now.getFullYear(), now.getMonth() + i, 1);
    const key = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
    const b: MonthBucket = { key, label: MONTHS[d.getMonth()]!, year: d.getFullYear(), total: 0, byVendor: {} };
    buckets.push(b);
    index.set(key, b);
  }
  for (const l of licenses) {
    if (!l.expiresAt || l.status === 'revoked' || l.status === 'superseded' || (l.daysLeft !== null && l.daysLeft < 0)) continue;
    const b = index.get(l.expiresAt.slice(0, 7));
    if (!b) continue;
    b.total++;
    b.byVendor[l.vendor] = (b.byVendor[l.vendor] ?? 0) + 1;
  }
  return buckets;
}

export function ExpiryTimeline({ licenses, onPickMonth }: { licenses: readonly LicenseView[]; onPickMonth?: (b: MonthBucket) => void }) {
  const buckets = useMemo(() => bucketByMonth(licenses), [licenses]);
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const vendorsPresent = VENDOR_ORDER.filter((v) => buckets.some((b) => b.byVendor[v]));
  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Expiries, next 12 months</Title>
        <Group gap="sm">
          {vendorsPresent.map((v) => (
            <Group key={v} gap={4}>
              <span className="kf-legend" style={{ background: `var(--mantine-color-${VENDOR_COLORS[v]}-filled)` }} />
              <Text size="xs" c="dimmed">
                {vendorLabel(v)}
              </Text>
            </Group>
          ))}
        </Group>
      </Group>
      <div className="kf-timeline" role="list" aria-label="Licenses expiring per month">
        {buckets.map((b) => (
          <button
            type="button"
            role="listitem"
            key={b.key}
            className="kf-timeline-col"
            aria-label={`${b.label} ${b.year}: ${b.total} license${b.total === 1 ? '' : 's'} expire`}
            title={`${b.label} ${b.year}: ${b.total} expiring${Object.entries(b.byVendor).map(([v, n]) => `\n${vendorLabel(v)}: ${n}`).join('')}`}
            onClick={() => onPickMonth?.(b)}
          >
            <span className="kf-timeline-count kf-num">{b.total || ''}</span>
            <span className="kf-timeline-bar" style={{ height: `${(b.total / max) * 100}%` }}>
              {VENDOR_ORDER.filter((v) => b.byVendor[v]).map((v) => (
                <span key={v} style={{ flexGrow: b.byVendor[v], background: `var(--mantine-color-${VENDOR_COLORS[v]}-filled)` }} />
              ))}
            </span>
            <span className="kf-timeline-label">
              {b.label}
              {b.label === 'Jan' || b === buckets[0] ? <span className="kf-timeline-year"> {String(b.year).slice(2)}</span> : null}
            </span>
          </button>
        ))}
      </div>
    </Paper>
  );
}
