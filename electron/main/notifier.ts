import { Notification } from 'electron';
import type { Notifier } from './background.ts';
import type { DueNotice } from '../core/services/reminders.ts';

/**
 * Native OS notifications; clicking an expiry notice opens that license in the window.
 * Each notification is held until it is clicked, closed or fails: a click can come minutes
 * later from the notification centre, and a collected Notification no longer reports it.
 */
export function electronNotifier(openLicense: (licenseId: string) => void, openStock: () => void): Notifier & { readonly pending: number } {
  const live = new Set<Notification>();
  return {
    get pending() {
      return live.size;
    },
    notify(notice: DueNotice) {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title: notice.title, body: notice.body, silent: false });
      live.add(n);
      const release = () => live.delete(n);
      n.on('click', () => {
        release();
        if (notice.kind === 'expiry') openLicense(notice.target);
        else openStock();
      });
      n.on('close', release);
      n.on('failed', release);
      n.show();
    },
  };
}
