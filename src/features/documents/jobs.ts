import type { TaskList } from 'graphile-worker';
import { SCAN_DOCUMENT_TASK, type DocumentsService } from './service';

/** The scan of each uploaded document, run by the worker; a failure (clamd down) is retried later. */
export function documentTasks(documents: DocumentsService): TaskList {
  return {
    [SCAN_DOCUMENT_TASK]: async (payload) => {
      await documents.scan((payload as { documentId: number }).documentId);
    },
  };
}
