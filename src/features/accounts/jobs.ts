import type { TaskList } from 'graphile-worker';
import { LINK_REQUEST_TASK, type AccountsService, type LinkRequest } from './service';

/** The accounts' background work, run by the worker beside the sending of emails. */
export function accountTasks(accounts: AccountsService): TaskList {
  return {
    [LINK_REQUEST_TASK]: async (payload) => accounts.sendLink(payload as LinkRequest),
  };
}
