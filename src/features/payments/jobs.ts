import type { TaskList } from 'graphile-worker';
import { DEV_NOTIFICATION_TASK, DEV_SIGNATURE_HEADER, type DevNotification } from './dev-provider';
import { InvalidNotification } from './provider';
import type { PaymentsService } from './service';

/**
 * The development provider's notifications, delivered by the worker to the same code the webhook route
 * runs (signature checked, then settled). A refused one is not retried: a provider would not resend it.
 */
export function paymentTasks(payments: PaymentsService): TaskList {
  return {
    [DEV_NOTIFICATION_TASK]: async (payload) => {
      const notice = payload as DevNotification;
      try {
        await payments.receiveNotification(Buffer.from(notice.body, 'utf8'), {
          [DEV_SIGNATURE_HEADER]: notice.signature,
        });
      } catch (error) {
        if (!(error instanceof InvalidNotification)) throw error;
      }
    },
  };
}
