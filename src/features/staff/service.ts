import { recordAudit } from '../../audit/audit';
import type { Sealer } from '../../crypto/sealing';
import { inTransaction, type Db, type Tx } from '../../db/knex';
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
      const fresh = () => totpSealer.seal({ secret: newTotpSecret() });
      const sealed = await q.keepFirstSecret(db, userId, fresh());
      const secret = totpSealer.open(sealed)?.secret;
      if (secret) return secret;
      // Sealed under an earlier SESSION_SECRET and never confirmed: nothing depends on it, start again.
      return totpSealer.open(await q.keepFirstSecret(db, userId, fresh(), sealed))!.secret!;
    },

    /**
     * An operator's reset (npm run staff:create -- --reset-second-factor), for a lost phone or a changed
     * SESSION_SECRET: the password then opens the enrolment page again. Never done by the portal itself,
     * which would let a password alone choose a new second factor.
     */
    async resetSecondFactor(userId: number): Promise<void> {
      await inTransaction(db, async (tx) => {
        await q.forgetSecondFactor(tx, userId);
        await recordAudit(tx, { event: 'mfa.reset', actorUserId: userId, ip: undefined });
      });
    },

    /**
     * Checks a code; each time step is accepted once. The first good code completes the enrolment. Run in
     * the caller's transaction (accounts.secondFactor holds the account's row locked meanwhile).
     */
    async verifyCode(tx: Tx, userId: number, code: string, ip: string | undefined): Promise<boolean> {
      const user = await q.secondFactor(tx, userId);
      // A secret sealed under an earlier SESSION_SECRET opens to nothing: every code is refused until an
      // operator resets the second factor.
      const secret = user?.totp_sealed ? totpSealer.open(user.totp_sealed)?.secret : undefined;
      const step = secret ? await codeStep(secret, code) : undefined;
      const accepted = step !== undefined && (await q.useStep(tx, userId, step, user!.totp_enrolled_at));
      await recordAudit(tx, { event: accepted ? 'mfa.succeeded' : 'mfa.failed', actorUserId: userId, ip });
      return accepted;
    },
  };
}

export type StaffService = ReturnType<typeof staffService>;
