import { bandLabel, webitelBand, type WebitelBand } from '../../../../electron/core/api/contract.ts';

const BAND_COLORS: Record<WebitelBand, string> = { expired: 'red', critical: 'orange', warning: 'yellow', ok: 'teal' };

/** The Status column of Webitel's admin page: the core's bands and labels, in the page's colours (no end date is grey). */
export function webitelStatus(daysLeft: number | null): { label: string; color: string } {
  return { label: bandLabel(daysLeft), color: daysLeft === null ? 'gray' : BAND_COLORS[webitelBand(daysLeft)] };
}
