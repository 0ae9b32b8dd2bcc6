import { Notification } from 'electron';
import type { Notifier } from './background.ts';
import type { DueNotice } from '../core/services/reminders.ts';

/** Native OS notifications; clicking an expiry notice opens that license in the window. */
export function electronNotifier(openLicense: (licenseId: string) => void, openStock: () => void): Notifier {
  return {
    notify(notice: DueNotice) {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title: notice.title, body: notice.body, silent: false });
      n.on('click', () => (notice.kind === 'expiry' ? openLicense(notice.target) : openStock()));
      n.show();
    },
  };
}
