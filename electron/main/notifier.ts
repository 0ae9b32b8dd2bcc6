import { Notification } from 'electron';
import type { Notifier } from './background.ts';
import type { DueNotice } from '../core/services/reminders.ts';
import type { ReconcileNotice } from '../core/services/reconcile.ts';
import type { NotificationText } from '../core/domain/reminders.ts';

/** A notice about the app itself rather than a reminder (the first close to the tray). */
export interface AppNotice extends NotificationText {
  kind: 'app';
}

export type Notice = DueNotice | ReconcileNotice | AppNotice;

/** Where a click on a notice takes the user. */
export interface NoticeTargets {
  openLicense(licenseId: string): void;
  openStock(): void;
  showWindow(): void;
}

/**
 * Native OS notifications; clicking an expiry notice opens that license in the window, a
 * low-stock notice the stock, a reconciliation or app notice just the window.
 * Each notification is held until it is clicked, closed or fails: a click can come minutes
 * later from the notification centre, and a collected Notification no longer reports it.
 */
export function electronNotifier(targets: NoticeTargets): Notifier & { notify(notice: Notice): void; readonly pending: number } {
  const live = new Set<Notification>();
  return {
    get pending() {
      return live.size;
    },
    notify(notice: Notice) {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title: notice.title, body: notice.body, silent: false });
      live.add(n);
      const release = () => live.delete(n);
      n.on('click', () => {
        release();
        if (notice.kind === 'expiry') targets.openLicense(notice.target);
        else if (notice.kind === 'low-stock') targets.openStock();
        else targets.showWindow();
      });
      n.on('close', release);
      n.on('failed', release);
      n.show();
    },
  };
}
