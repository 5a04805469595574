import type { Db } from '../../db/knex';
import { Read, together } from '../../db/together';
import { readClock } from '../../domain/review-clock';
import { history, type ApplicationRow } from '../applications/queries';
import type { PermitsService } from '../permits/service';
import type { FeesService } from '../fees/service';
import type { DocumentsService } from '../documents/service';
import type { InspectionsService } from '../inspections/service';
import type { Conversation } from '../review/conversation';
import { staffActionsFrom } from '../review/staff-moves';
import * as q from './queries';

/** Staff's side of applications: search, and everything the application's admin page shows. */
export function staffApplications({
  db,
  conversation,
  permits,
  fees,
  documentsOf,
  inspectionsOf,
}: {
  db: Db;
  conversation: Conversation;
  permits: PermitsService;
  fees: FeesService;
  documentsOf: DocumentsService['documentsOf'];
  inspectionsOf: InspectionsService['ofApplication'];
}) {
  return {
    /** By file number, or by the start of the applicant's name or street (each served by an index). */
    async search(query: string): Promise<ApplicationRow[]> {
      const typed = query.trim();
      return typed ? q.searchApplications(db, typed) : [];
    },

    async find(number: string) {
      const application = await q.applicationByNumber(db, number);
      if (!application) return undefined;
      // Every section in one round trip; the fee table's suggestion beside it, read on its own.
      const [[events, talk, permit, reviewer, assessed, documents, inspected], suggestion] =
        await Promise.all([
          together([
            history(db, application.id),
            conversation.forStaff(application.id),
            permits.permitOf(application.id),
            application.reviewer_user_id
              ? q.staffName(db, application.reviewer_user_id)
              : Read.value(undefined),
            fees.feesOf(application.id),
            documentsOf(application.id),
            inspectionsOf(application),
          ]),
          fees.suggestion(application),
        ]);
      return {
        application,
        history: events,
        actions: staffActionsFrom(application.status, application.withdrawal_pending),
        clock: readClock(application, events, new Date()),
        ...talk,
        permit,
        reviewer,
        fees: assessed,
        suggestion,
        documents,
        inspections: inspected.inspections,
      };
    },
  };
}

export type StaffApplications = ReturnType<typeof staffApplications>;
