import { recordAudit } from '../../audit/audit';
import type { Sealer } from '../../crypto/sealing';
import type { Db, Tx } from '../../db/knex';
import type { PasswordHashing } from '../accounts/passwords';
import * as q from './queries';
import { codeStep, newTotpSecret } from './totp';

/** City staff: their accounts and their second factor. */
export function staffService({
  db,
  passwords,
  totpSealer,
}: {
  db: Db;
  passwords: PasswordHashing;
  totpSealer: Sealer;
}) {
  return {
    /** For `npm run staff:create`: an active staff account (never made by signing up). */
    async create(email: string, name: string, password: string): Promise<number> {
      return q.insertStaff(db, { email, name, passwordHash: await passwords.hash(password) });
    },

    enrolled: (userId: number) => q.isEnrolled(db, userId),

    /** The secret being enrolled (made once, kept sealed until the first code confirms it). */
    async pendingSecret(userId: number): Promise<string> {
      // Two tabs opening the page at once show one secret: the first kept is the one read back.
      const sealed = await q.keepFirstSecret(db, userId, totpSealer.seal({ secret: newTotpSecret() }));
      return totpSealer.open(sealed).secret!;
    },

    /**
     * Checks a code; each time step is accepted once. The first good code completes the enrolment. Run in
     * the caller's transaction (accounts.secondFactor holds the account's row locked meanwhile).
     */
    async verifyCode(tx: Tx, userId: number, code: string, ip: string | undefined): Promise<boolean> {
      const user = await q.secondFactor(tx, userId);
      const step = user?.totp_sealed
        ? await codeStep(totpSealer.open(user.totp_sealed).secret!, code)
        : undefined;
      const accepted = step !== undefined && (await q.useStep(tx, userId, step, user!.totp_enrolled_at));
      await recordAudit(tx, { event: accepted ? 'mfa.succeeded' : 'mfa.failed', actorUserId: userId, ip });
      return accepted;
    },
  };
}

export type StaffService = ReturnType<typeof staffService>;
