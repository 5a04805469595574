import type { Sealer } from '../../crypto/sealing';
import { inTransaction, type Db } from '../../db/knex';
import type { MailQueue } from '../../mail/queue';
import type { PersonActing } from '../accounts/acting';
import { addEvent, managers } from '../companies/queries';
import * as q from './queries';
import type { BankAccount } from './schemas';

/**
 * What the pages show of an account: institution and transit, and the account number's last 3 digits; or
 * that it can no longer be read (sealed under an earlier SESSION_SECRET) and must be entered again.
 */
export type MaskedAccount =
  | { retired?: false; institution: string; transit: string; accountEnd: string; changedAt: Date }
  | { retired: true; changedAt: Date };

/**
 * "Informations bancaires" (J9): the account a company's refunds are paid into. Sealed at rest, shown
 * masked, changed only by Payer or Gérer (the route's guard); each change is in the company's history and
 * emailed to every manager, so a change nobody made is noticed.
 */
export function bankingService({ db, sealer, mail }: { db: Db; sealer: Sealer; mail: MailQueue }) {
  return {
    async masked(companyId: number): Promise<MaskedAccount | undefined> {
      const row = await q.sealedAccount(db, companyId);
      if (!row?.bank_sealed) return undefined;
      const account = sealer.open(row.bank_sealed) as BankAccount | undefined;
      // Sealed under an earlier SESSION_SECRET: the page asks for the account again.
      if (!account) return { retired: true, changedAt: row.bank_changed_at! };
      return {
        institution: account.institution,
        transit: account.transit,
        accountEnd: account.account.slice(-3),
        changedAt: row.bank_changed_at!,
      };
    },

    async change(by: PersonActing, company: { id: number; legal_name: string }, account: BankAccount) {
      await inTransaction(db, async (tx) => {
        await q.setSealedAccount(tx, company.id, sealer.seal({ ...account }));
        await addEvent(tx, {
          companyId: company.id,
          actorUserId: by.userId,
          actorName: by.name,
          event: 'bank_changed',
          details: { accountEnd: account.account.slice(-3) },
        });
        for (const manager of await managers(tx, company.id))
          await mail.enqueue(tx, {
            template: 'companyBankChanged',
            to: manager.email,
            lang: manager.locale,
            params: { company: company.legal_name, member: by.name, accountEnd: account.account.slice(-3) },
            link: { page: 'companyBank', params: { id: String(company.id) } },
          });
      });
    },
  };
}

export type BankingService = ReturnType<typeof bankingService>;
