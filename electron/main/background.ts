import type { Context } from '../core/context.ts';
import { evaluateReminders, type DueNotice } from '../core/services/reminders.ts';
import { refreshInstances } from '../core/services/refresh.ts';
import { reconcile, reconcileNotice, type ReconcileNotice } from '../core/services/reconcile.ts';
import { listLicenses } from '../core/services/licenses.ts';
import { exportCalendar } from '../core/services/exports.ts';
import { writeCalendarFeed } from '../core/domain/calendar.ts';

export const HOUR_MS = 60 * 60 * 1000;

export interface Notifier {
  notify(notice: DueNotice | ReconcileNotice): void;
}

/**
 * What the app does while it runs without being asked: evaluate reminders every hour and after
 * the computer wakes (each due stage fires once, recorded before it is shown), refresh the
 * fleet on a schedule when the user turned that on, and keep the calendar feed current.
 */
export class BackgroundChecks {
  readonly #ctx: Context;
  readonly #notifier: Notifier;
  readonly #onChange: () => void;
  #timers: Array<ReturnType<typeof setInterval>> = [];
  #refreshing = false;
  /** What the last reconciliation notice said, so the same differences are not announced again. */
  #lastDifferences: string | null = null;

  constructor(ctx: Context, notifier: Notifier, onChange: () => void) {
    this.#ctx = ctx;
    this.#notifier = notifier;
    this.#onChange = onChange;
  }

  /** Evaluate reminders now and notify; returns what fired. */
  checkReminders(): DueNotice[] {
    let notices: DueNotice[];
    try {
      notices = evaluateReminders(this.#ctx);
    } catch (e) {
      this.#ctx.log.error(`reminder evaluation failed: ${(e as Error).message}`);
      return [];
    }
    for (const n of notices) this.#notifier.notify(n);
    if (notices.length > 0) this.#onChange();
    return notices;
  }

  async scheduledRefresh(): Promise<void> {
    if (this.#refreshing || this.#ctx.store.data.instances.length === 0) return;
    this.#refreshing = true;
    try {
      const r = await refreshInstances(this.#ctx);
      this.#ctx.log.info(`scheduled refresh: ${r.ok} ok, ${r.failed} failed`);
      this.#onChange();
      this.checkReminders();
      await this.checkReconciliation();
    } finally {
      this.#refreshing = false;
    }
  }

  /**
   * Compare what the servers hold with the record (read-only, nothing accepted) and notify when
   * anything differs, once per distinct set of differences.
   */
  async checkReconciliation(): Promise<ReconcileNotice | null> {
    try {
      // The refresh just read every instance: compare from those readings, ask only key sources.
      const notice = reconcileNotice(await reconcile(this.#ctx, { fromLastCheck: true }));
      if (!notice || notice.signature === this.#lastDifferences) {
        if (!notice) this.#lastDifferences = null;
        return null;
      }
      this.#lastDifferences = notice.signature;
      this.#notifier.notify(notice);
      return notice;
    } catch (e) {
      this.#ctx.log.error(`reconciliation after the scheduled refresh failed: ${(e as Error).message}`);
      return null;
    }
  }

  start(): void {
    this.stop();
    this.checkReminders();
    this.#timers.push(setInterval(() => this.checkReminders(), HOUR_MS));
    const hours = this.#ctx.store.data.settings.scheduledRefreshHours;
    if (hours > 0) this.#timers.push(setInterval(() => void this.scheduledRefresh(), hours * HOUR_MS));
  }

  /** After sleep, timers may have missed their moment. */
  onResume(): void {
    this.checkReminders();
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }
}

/** Licenses due within 7 days, for the tray tooltip and badge. */
export function dueSoonCount(ctx: Context): number {
  return listLicenses(ctx, { expiringWithin: 7 }).filter((l) => l.status !== 'revoked' && !l.muted && (l.daysLeft ?? -1) >= 0).length;
}

export const CALENDAR_FEED_FILE = 'keyfleet-expiries.ics';

/** Rewrite the subscribable calendar feed beside the store. */
export async function updateCalendarFeed(ctx: Context, file: string): Promise<void> {
  await writeCalendarFeed(file, exportCalendar(ctx).content);
}
