import type { PinVault } from '../../crypto/pin-vault';
import { inTransaction, type Db } from '../../db/knex';
import { Read } from '../../db/together';
import type { PersonActing } from '../accounts/acting';
import {
  addEvent,
  findVisible,
  mayAct,
  mayActFor,
  type ApplicationRow,
  type Standing,
} from '../applications/queries';
import { startPinAttempt } from '../pins/attempts';
import * as q from './queries';

export type ContactOutcome =
  'added' | 'removed' | 'invalid' | 'throttled' | 'ownCompany' | 'notAllowed' | 'notFound';

/**
 * "Personne-ressource": the applicant's side names a company as its application's contact by the
 * company's PIN (so nobody can browse the companies), or takes it off. The company's members with Faire
 * une demande then see and follow the application (applications/queries.ts, grounds); they act on it
 * only as the applicant's side lets them, which naming a contact does not change.
 */
export function contactsService({ db, pins }: { db: Db; pins: PinVault }) {
  return {
    /** Who may choose the contact: whoever may submit for the application (its applicant's side). */
    mayChoose: (standing: Standing) => mayAct(standing, 'submit'),

    contactOf: (application: ApplicationRow): Read<q.ContactCompany | undefined> =>
      application.contact_company_id
        ? q.companyById(db, application.contact_company_id)
        : Read.value(undefined),

    async add(by: PersonActing, ref: string, pin: string): Promise<ContactOutcome> {
      // A PIN found here reveals a company's name: guesses count with the association's (kind company).
      const attempt = await startPinAttempt(db, 'company', by.userId, by.ip);
      if (!attempt) return 'throttled';
      return inTransaction(db, async (tx) => {
        const application = await findVisible(tx, by.userId, ref, true);
        if (!application) return 'notFound';
        if (!(await mayActFor(tx, by.userId, [application.id], 'submit'))) return 'notAllowed';
        const company = await q.companyByPin(tx, pins.hash(pin));
        if (!company) {
          await attempt.wrong(tx);
          return 'invalid';
        }
        await attempt.right(tx);
        if (company.id === application.company_id) return 'ownCompany';
        await q.setContact(tx, application.id, company.id);
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId,
          actorName: by.name,
          event: 'contact_added',
          details: { company: company.legal_name },
        });
        return 'added';
      });
    },

    async remove(by: PersonActing, ref: string): Promise<ContactOutcome> {
      return inTransaction(db, async (tx) => {
        const application = await findVisible(tx, by.userId, ref, true);
        if (!application) return 'notFound';
        if (!(await mayActFor(tx, by.userId, [application.id], 'submit'))) return 'notAllowed';
        if (!application.contact_company_id) return 'removed';
        const company = await q.companyById(tx, application.contact_company_id);
        await q.setContact(tx, application.id, null);
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId,
          actorName: by.name,
          event: 'contact_removed',
          details: { company: company?.legal_name ?? '' },
        });
        return 'removed';
      });
    },
  };
}

export type ContactsService = ReturnType<typeof contactsService>;
