import { forwardRef, useState, type ButtonHTMLAttributes, type CSSProperties, type ReactNode } from 'react';
import { daysLeftColor, daysLeftLabel, daysLeftSentence, maskKey, STATUS_COLORS, VENDOR_COLORS, vendorLabel } from '../format.ts';
import { Icon, type IconName } from './Icon.tsx';
import { copyTip, useCopy } from './useCopy.ts';
// After the badges' styles, which the masked key shares.
import './Badges.css';
import './GridCells.css';

/**
 * Cells for the big virtualised tables, drawn with plain elements and GridCells.css instead of Mantine
 * components. They look the same as Text, Badge and ActionIcon, but a table re-renders dozens of
 * rows on every keystroke in its search box, and a plain span costs a fraction of a themed
 * component. Tooltips are the native title attribute for the same reason.
 */

export function CellText({ children, size = 'sm', dimmed = false, mono = false, num = false, title }: { children: ReactNode; size?: 'xs' | 'sm'; dimmed?: boolean; mono?: boolean; num?: boolean; title?: string | undefined }) {
  return (
    <span className={num ? 'kf-cell kf-num' : 'kf-cell'} data-size={size} data-dimmed={dimmed || undefined} data-mono={mono || undefined} title={title}>
      {children}
    </span>
  );
}

type BadgeVariant = 'light' | 'filled' | 'dot';

function badgeStyle(color: string, variant: BadgeVariant): CSSProperties {
  if (variant === 'dot') return { '--kf-badge-dot': `var(--mantine-color-${color}-filled)` } as CSSProperties;
  if (variant === 'filled') return { '--kf-badge-bg': `var(--mantine-color-${color}-filled)`, '--kf-badge-color': 'var(--mantine-color-white)' } as CSSProperties;
  return { '--kf-badge-bg': `var(--mantine-color-${color}-light)`, '--kf-badge-color': `var(--mantine-color-${color}-light-color)` } as CSSProperties;
}

/** Mantine's Badge at size sm, radius sm. */
export function LiteBadge({ color, variant = 'light', title, num = false, children }: { color: string; variant?: BadgeVariant; title?: string; num?: boolean; children: ReactNode }) {
  return (
    <span className={num ? 'kf-badge kf-num' : 'kf-badge'} data-variant={variant} style={badgeStyle(color, variant)} title={title}>
      <span className="kf-badge-label">{children}</span>
    </span>
  );
}

export function GridVendorBadge({ vendor }: { vendor: string }) {
  return <LiteBadge color={VENDOR_COLORS[vendor] ?? 'gray'}>{vendorLabel(vendor)}</LiteBadge>;
}

export function GridStatusBadge({ status }: { status: string }) {
  return (
    <LiteBadge color={STATUS_COLORS[status] ?? 'gray'} variant="dot">
      {status}
    </LiteBadge>
  );
}

export function GridDaysLeftBadge({ daysLeft }: { daysLeft: number | null }) {
  return (
    <LiteBadge color={daysLeftColor(daysLeft)} variant={daysLeft !== null && daysLeft < 30 ? 'filled' : 'light'} title={daysLeftSentence(daysLeft)} num>
      {daysLeftLabel(daysLeft)}
    </LiteBadge>
  );
}

/** Mantine's subtle gray ActionIcon (size xs or sm) as a plain button. */
export const GridIconButton = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { icon: IconName; size?: 'xs' | 'sm'; tone?: 'gray' | 'teal' | 'red' }>(function GridIconButton(
  { icon, size = 'xs', tone = 'gray', className, ...rest },
  ref,
) {
  return (
    <button ref={ref} type="button" className={`kf-icon-btn ${className ?? ''}`} data-size={size} data-tone={tone === 'gray' ? undefined : tone} {...rest}>
      <Icon name={icon} size={size === 'sm' ? 14 : 13} />
    </button>
  );
});

/** MaskedKey for table rows: the key masked, with reveal and copy; the full key is in the page only while revealed. */
export function GridMaskedKey({ value, label = 'key' }: { value: string; label?: string }) {
  const [revealed, setRevealed] = useState(false);
  const { state: copied, copy } = useCopy();
  return (
    <span className="kf-key kf-grid-key">
      <span className="kf-cell kf-key-text" data-size="xs" data-mono title={revealed ? value : undefined} data-revealed={revealed || undefined}>
        {revealed ? value : maskKey(value)}
      </span>
      <GridIconButton
        icon={revealed ? 'eyeOff' : 'eye'}
        aria-label={revealed ? `Hide ${label}` : `Reveal ${label}`}
        title={revealed ? `Hide ${label}` : `Reveal ${label}`}
        aria-pressed={revealed}
        onClick={(e) => {
          e.stopPropagation();
          setRevealed((r) => !r);
        }}
      />
      <GridIconButton
        icon={copied === 'copied' ? 'check' : 'copy'}
        tone={copied === 'copied' ? 'teal' : copied === 'failed' ? 'red' : 'gray'}
        aria-label={`Copy ${label}`}
        title={copyTip(copied, `Copy ${label}`)}
        onClick={(e) => {
          e.stopPropagation();
          copy(value);
        }}
      />
    </span>
  );
}
