import type { i18n } from 'i18next';
import type { Db, Tx } from '../../db/knex';
import { cityYear, formatLocation } from '../../domain/formatting';
import { newPin, normalisePin } from '../../domain/pins';
import type { ApplicationRow } from '../applications/queries';
import { findVisible, submitted } from '../applications/queries';
import { renderPermitPdf, type PermitContent } from './pdf';
import * as q from './queries';

/** The building permit: made when staff issue it, downloaded from the application, checked by anyone. */
export function permitsService({
  db,
  i18n,
  verifyUrls,
}: {
  db: Db;
  i18n: i18n;
  /** The public "Vérifier un permis" page's address in each language, printed on every permit. */
  verifyUrls: PermitContent['verifyUrls'];
}) {
  return {
    /**
     * Makes the permit of an application being issued, in the caller's transaction (which holds the
     * application's row): its number, its verification code and its PDF, stored with it.
     */
    async make(
      tx: Tx,
      row: ApplicationRow,
      issuer: { userId: number | null; name: string },
      conditions: string,
      /** Now, except for the demo's permit, issued long ago like its application. */
      issuedAt = new Date(),
    ): Promise<{ number: string; pdf: Buffer }> {
      const application = submitted(row);
      const number = await q.nextPermitNumber(tx, cityYear(issuedAt));
      const code = newPin();
      const pdf = await renderPermitPdf(i18n, {
        permitNumber: number,
        fileNumber: application.number!,
        address: [formatLocation(application), application.postal_code].filter(Boolean).join(' '),
        applicant: application.applicant_name,
        permitType: ['fr', 'en']
          .map((lng) => i18n.t(`applications:permitTypes.${application.permit_type}`, { lng }))
          .join(' / '),
        description: application.description,
        conditions,
        issuedAt,
        verificationCode: code,
        verifyUrls,
      });
      await q.insertPermit(tx, {
        applicationId: application.id,
        number,
        verificationCode: normalisePin(code),
        conditions,
        issuedAt,
        issuedBy: issuer.userId,
        issuedByName: issuer.name,
        pdf,
      });
      return { number, pdf };
    },

    permitOf: (applicationId: number) => q.permitOf(db, applicationId),

    /** The permit's PDF, for whoever may see the application (anyone else: undefined, a 404). */
    async pdfFor(userId: number, ref: string) {
      const application = await findVisible(db, userId, ref);
      return application && q.permitPdf(db, application.id);
    },

    /** For staff, who see every application. */
    pdfOf: (applicationId: number) => q.permitPdf(db, applicationId),

    /**
     * The public check ("Vérifier un permis"): the permit when both the number and its code match,
     * otherwise undefined — the same answer whether the number exists or not.
     */
    async verify(number: string, code: string) {
      return q.verifiedPermit(db, number.trim().toUpperCase(), normalisePin(code));
    },
  };
}

export type PermitsService = ReturnType<typeof permitsService>;
