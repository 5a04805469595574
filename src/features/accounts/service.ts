import { recordAudit } from '../../audit/audit';
import { normaliseEmail } from '../../domain/formatting';
import { addJob } from '../../db/jobs';
import { inTransaction, type Db, type Tx } from '../../db/knex';
import type { Lang } from '../../i18n/i18n';
import type { MailQueue } from '../../mail/queue';
import type { PasswordHashing } from './passwords';
import * as q from './queries';
import {
  ACTIVATION_TTL_MS,
  EMAIL_CHANGE_TTL_MS,
  hashToken,
  newToken,
  HOUR_MS,
  PASSWORD_RESET_TTL_MS,
} from './tokens';

export const LOCKOUT_FAILURES = 10;
export const LOCKOUT_MS = 15 * 60 * 1000;

export interface AccountsDeps {
  db: Db;
  mail: MailQueue;
  passwords: PasswordHashing;
}

type Ip = string | undefined;

/** The background task that sends the link a visitor asked for (see requestLink). */
export const LINK_REQUEST_TASK = 'account_link_request';
export interface LinkRequest {
  kind: 'activation' | 'passwordReset';
  email: string;
  ip?: string;
}

export type SignInResult =
  { ok: true; user: q.SessionUser } | { ok: false; reason: 'invalid' | 'notActivated' };

export type TokenResult<T = void> =
  { ok: true; value: T } | { ok: false; reason: 'invalidLink' | 'wrongPassword' | 'emailTaken' };

/** J1: accounts that sign up, activate by email, sign in, and look after their password and address. */
export function accountsService({ db, mail, passwords }: AccountsDeps) {
  const { hash: hashPassword, verify: verifyPassword } = passwords;

  /** A fresh single-use token for a link; earlier unused ones for the same purpose stop working. */
  async function issueToken(
    tx: Tx,
    userId: number,
    purpose: q.TokenPurpose,
    ttlMs: number,
    newEmail?: string,
  ): Promise<string> {
    await q.retireTokens(tx, userId, purpose);
    const { token, hash } = newToken();
    await q.insertToken(tx, { userId, purpose, hash, ttlMs, newEmail });
    return token;
  }

  async function sendActivation(tx: Tx, user: { id: number; email: string; locale: Lang }): Promise<void> {
    const token = await issueToken(tx, user.id, 'activation', ACTIVATION_TTL_MS);
    await mail.enqueue(tx, {
      template: 'activation',
      to: user.email,
      lang: user.locale,
      params: { hours: String(ACTIVATION_TTL_MS / HOUR_MS) },
      link: { page: 'activate', token },
    });
  }

  /** The signed-in user, provided the password they typed is theirs (settings ask for it again). */
  async function provenUser(userId: number, password: string): Promise<q.UserRow | undefined> {
    const user = await q.findUserById(db, userId);
    return user && (await verifyPassword(user.password_hash, password)) ? user : undefined;
  }

  /** A failed sign-in step; the tenth in a row locks the account for 15 minutes and tells its owner. */
  async function countFailure(
    tx: Tx,
    user: { id: number; email: string; locale: Lang },
    ip: Ip,
    reason: 'password' | 'second_factor',
  ): Promise<void> {
    const { locked } = await q.recordFailedSignin(tx, user.id, LOCKOUT_FAILURES, LOCKOUT_MS);
    await recordAudit(tx, { event: 'signin.failed', subjectUserId: user.id, ip, details: { reason } });
    if (!locked) return;
    await recordAudit(tx, { event: 'signin.locked', subjectUserId: user.id, ip });
    await mail.enqueue(tx, {
      template: 'accountLocked',
      to: user.email,
      lang: user.locale,
      params: { minutes: String(LOCKOUT_MS / 60_000) },
      link: { page: 'forgotPassword' },
    });
  }

  return {
    /**
     * Creates a pending account and emails its activation link. A taken address gets the same answer on
     * the page; its owner gets a notice (or, if never activated, a fresh link) instead.
     */
    async signUp(input: { email: string; password: string; lang: Lang; ip: Ip }): Promise<void> {
      const passwordHash = await hashPassword(input.password);
      await inTransaction(db, async (tx) => {
        const id = await q.insertPendingUser(tx, { email: input.email, passwordHash, locale: input.lang });
        if (id !== undefined) {
          await sendActivation(tx, { id, email: normaliseEmail(input.email), locale: input.lang });
          await recordAudit(tx, { event: 'account.created', actorUserId: id, ip: input.ip });
          return;
        }
        const existing = await q.findUserByEmail(tx, input.email);
        if (!existing) return;
        if (existing.status === 'pending') {
          // Whoever signed up first did not prove the mailbox: the newest sign-up's password is the one
          // activation asks for, so nobody can fix the password of an address that is not theirs.
          await q.setPassword(tx, existing.id, passwordHash);
          await sendActivation(tx, existing);
          await recordAudit(tx, {
            event: 'account.signup_repeated',
            subjectUserId: existing.id,
            ip: input.ip,
          });
        } else {
          await mail.enqueue(tx, {
            template: 'signupAddressTaken',
            to: existing.email,
            lang: existing.locale,
            link: { page: 'forgotPassword' },
          });
        }
      });
    },

    /** Activation asks again for the password chosen at signup; the link then works no more. */
    async activate(input: { token: string; password: string; ip: Ip }): Promise<TokenResult<q.SessionUser>> {
      return inTransaction(db, async (tx) => {
        const token = await q.lockToken(tx, hashToken(input.token), 'activation');
        if (!q.isUsable(token)) return { ok: false, reason: 'invalidLink' } as const;
        const user = await q.findUserById(tx, token.user_id);
        if (!user) return { ok: false, reason: 'invalidLink' } as const;
        if (!(await verifyPassword(user.password_hash, input.password))) {
          await recordAudit(tx, {
            event: 'signin.failed',
            subjectUserId: user.id,
            ip: input.ip,
            details: { via: 'activation' },
          });
          return { ok: false, reason: 'wrongPassword' } as const;
        }
        await q.markTokenUsed(tx, token.id);
        await q.activateUser(tx, user.id);
        await recordAudit(tx, { event: 'account.activated', actorUserId: user.id, ip: input.ip });
        return {
          ok: true,
          value: { id: user.id, email: user.email, locale: user.locale, role: user.role },
        } as const;
      });
    },

    /** Whether a token link is still good, to show its form or say plainly that it is not. */
    async isLinkUsable(token: string, purpose: q.TokenPurpose): Promise<boolean> {
      return q.isUsable(await q.findToken(db, hashToken(token), purpose));
    },

    /**
     * Checks email and password. A locked account is refused before any hashing; the tenth failure in a
     * row locks it for 15 minutes and tells its owner by email.
     */
    async signIn(input: {
      email: string;
      password: string;
      ip: Ip;
      role?: q.Role;
      /** A second factor follows: a right password alone neither clears the failures nor signs in. */
      secondFactor?: boolean;
    }): Promise<SignInResult> {
      const found = await q.findUserByEmail(db, input.email);
      // Staff sign in on the admin page, clients on the portal's: the wrong door answers as for a stranger.
      const user = found && found.role === (input.role ?? 'client') ? found : undefined;
      const locked = !!user && q.isLocked(user);
      if (!user || locked) {
        // Same work as a real check, so neither an unknown nor a locked address answers faster.
        await verifyPassword(undefined, input.password);
        await recordAudit(db, {
          event: 'signin.failed',
          subjectUserId: user?.id,
          ip: input.ip,
          details: user
            ? { reason: 'locked' }
            : { reason: 'unknown_email', email: normaliseEmail(input.email) },
        });
        return { ok: false, reason: 'invalid' };
      }
      if (!(await verifyPassword(user.password_hash, input.password))) {
        await inTransaction(db, (tx) => countFailure(tx, user, input.ip, 'password'));
        return { ok: false, reason: 'invalid' };
      }
      if (user.status !== 'active') return { ok: false, reason: 'notActivated' };
      const signedIn = { id: user.id, email: user.email, locale: user.locale, role: user.role };
      if (input.secondFactor) {
        // Only the password so far: the failure counter stays until the second factor succeeds.
        await recordAudit(db, { event: 'signin.password_accepted', subjectUserId: user.id, ip: input.ip });
        return { ok: true, user: signedIn };
      }
      await q.clearFailedSignins(db, user.id);
      await recordAudit(db, { event: 'signin.succeeded', actorUserId: user.id, ip: input.ip });
      return { ok: true, user: signedIn };
    },

    /**
     * The second step of a sign-in that needs one (staff): `check` judges the code while the account's
     * row is locked, so parallel guesses are counted one after the other and none is judged once the
     * account is locked. A wrong code counts as a failed sign-in (10 in a row lock the account); only a
     * right one clears the count and completes the sign-in.
     */
    async secondFactor(
      user: { id: number; email: string; locale: Lang },
      ip: Ip,
      check: (tx: Tx) => Promise<boolean>,
    ): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const row = await q.lockUser(tx, user.id);
        if (!row || q.isLocked(row)) {
          await recordAudit(tx, {
            event: 'signin.failed',
            subjectUserId: user.id,
            ip,
            details: { reason: 'locked' },
          });
          return false;
        }
        if (!(await check(tx))) {
          await countFailure(tx, user, ip, 'second_factor');
          return false;
        }
        await q.clearFailedSignins(tx, user.id);
        await recordAudit(tx, { event: 'signin.succeeded', actorUserId: user.id, ip });
        return true;
      });
    },

    async signedOut(input: { userId: number; ip: Ip }): Promise<void> {
      await recordAudit(db, { event: 'signout', actorUserId: input.userId, ip: input.ip });
    },

    /**
     * "Renvoyer le lien d'activation" and "Mot de passe oublié?": the request only queues the work (one
     * row, the same for any address), so neither its answer nor its timing tells whether the address has
     * an account. The background worker then calls sendLink.
     */
    async requestLink(input: LinkRequest): Promise<void> {
      await addJob(db, LINK_REQUEST_TASK, { ...input, email: normaliseEmail(input.email) });
    },

    /**
     * The work of a queued link request. Activation: a new link for a pending account; an active one is
     * told so. Reset: a link valid one hour. An unknown address: nothing.
     */
    async sendLink(input: LinkRequest): Promise<void> {
      await inTransaction(db, async (tx) => {
        const user = await q.findUserByEmail(tx, input.email);
        if (!user) return;
        if (input.kind === 'activation') {
          if (user.status === 'pending') return sendActivation(tx, user);
          await mail.enqueue(tx, {
            template: 'alreadyActive',
            to: user.email,
            lang: user.locale,
            link: { page: 'signIn' },
          });
          return;
        }
        const token = await issueToken(tx, user.id, 'password_reset', PASSWORD_RESET_TTL_MS);
        await mail.enqueue(tx, {
          template: 'passwordReset',
          to: user.email,
          lang: user.locale,
          params: { minutes: String(PASSWORD_RESET_TTL_MS / 60_000) },
          link: { page: 'resetPassword', token },
        });
        await recordAudit(tx, { event: 'password.reset_requested', subjectUserId: user.id, ip: input.ip });
      });
    },

    /**
     * Sets a new password from a reset link, ends every session of the account, and activates a pending
     * account (the link proves the address is theirs).
     */
    async resetPassword(input: { token: string; password: string; ip: Ip }): Promise<TokenResult> {
      const passwordHash = await hashPassword(input.password);
      return inTransaction(db, async (tx) => {
        const token = await q.lockToken(tx, hashToken(input.token), 'password_reset');
        if (!q.isUsable(token)) return { ok: false, reason: 'invalidLink' } as const;
        const user = await q.findUserById(tx, token.user_id);
        if (!user) return { ok: false, reason: 'invalidLink' } as const;
        await q.markTokenUsed(tx, token.id);
        await q.setPassword(tx, user.id, passwordHash);
        await q.activateUser(tx, user.id);
        await q.endSessions(tx, user.id);
        await mail.enqueue(tx, { template: 'passwordChanged', to: user.email, lang: user.locale });
        await recordAudit(tx, { event: 'password.reset', subjectUserId: user.id, ip: input.ip });
        return { ok: true, value: undefined } as const;
      });
    },

    /** Changes the password of a signed-in user, who must type the current one; other sessions end. */
    async changePassword(input: {
      userId: number;
      currentPassword: string;
      password: string;
      keepSid: string;
      ip: Ip;
    }): Promise<TokenResult> {
      const user = await provenUser(input.userId, input.currentPassword);
      if (!user) return { ok: false, reason: 'wrongPassword' };
      const passwordHash = await hashPassword(input.password);
      await inTransaction(db, async (tx) => {
        await q.setPassword(tx, user.id, passwordHash);
        await q.endSessions(tx, user.id, input.keepSid);
        await mail.enqueue(tx, { template: 'passwordChanged', to: user.email, lang: user.locale });
        await recordAudit(tx, { event: 'password.changed', actorUserId: user.id, ip: input.ip });
      });
      return { ok: true, value: undefined };
    },

    /**
     * Sends a confirmation link to the new address and a notice to the current one. A new address that
     * already has an account gets the same answer on the page, and its owner a notice.
     */
    async requestEmailChange(input: {
      userId: number;
      newEmail: string;
      currentPassword: string;
      ip: Ip;
    }): Promise<TokenResult> {
      const user = await provenUser(input.userId, input.currentPassword);
      if (!user) return { ok: false, reason: 'wrongPassword' };
      const newEmail = normaliseEmail(input.newEmail);
      await inTransaction(db, async (tx) => {
        const owner = await q.findUserByEmail(tx, newEmail);
        if (owner) {
          if (owner.id !== user.id) {
            await mail.enqueue(tx, { template: 'emailChangeTaken', to: owner.email, lang: owner.locale });
          }
          return;
        }
        const token = await issueToken(tx, user.id, 'email_change', EMAIL_CHANGE_TTL_MS, newEmail);
        await mail.enqueue(tx, {
          template: 'emailChangeConfirm',
          to: newEmail,
          lang: user.locale,
          params: { hours: String(EMAIL_CHANGE_TTL_MS / HOUR_MS) },
          link: { page: 'confirmEmail', token },
        });
        await mail.enqueue(tx, {
          template: 'emailChangeNotice',
          to: user.email,
          lang: user.locale,
          params: { newEmail },
        });
        await recordAudit(tx, {
          event: 'email.change_requested',
          actorUserId: user.id,
          ip: input.ip,
          details: { newEmail },
        });
      });
      return { ok: true, value: undefined };
    },

    /**
     * The new address becomes the account's, unless someone took it in the meantime. Every pending link
     * of the account ends, and every session but `keepSid` (the confirming browser, if it is signed in
     * to this account).
     */
    async confirmEmailChange(input: { token: string; ip: Ip; keepSid?: string }): Promise<TokenResult> {
      return inTransaction(db, async (tx) => {
        const token = await q.lockToken(tx, hashToken(input.token), 'email_change');
        if (!q.isUsable(token) || !token.new_email) return { ok: false, reason: 'invalidLink' } as const;
        const user = await q.findUserById(tx, token.user_id);
        if (!user) return { ok: false, reason: 'invalidLink' } as const;
        if (await q.findUserByEmail(tx, token.new_email)) return { ok: false, reason: 'emailTaken' } as const;
        await q.markTokenUsed(tx, token.id);
        // Another account confirming the same address at this moment: the database keeps one, and the
        // other is told the address is taken, as if it had been seen above.
        if (!(await q.setEmailIfFree(tx, user.id, token.new_email)))
          return { ok: false, reason: 'emailTaken' } as const;
        // Links sent to the old address stop working, and so do the sessions opened with it.
        await q.retireTokens(tx, user.id, 'password_reset');
        await q.retireTokens(tx, user.id, 'email_change');
        await q.endSessions(tx, user.id, input.keepSid);
        await mail.enqueue(tx, {
          template: 'emailChanged',
          to: user.email,
          lang: user.locale,
          params: { newEmail: token.new_email },
        });
        await recordAudit(tx, {
          event: 'email.changed',
          subjectUserId: user.id,
          ip: input.ip,
          details: { from: user.email, to: token.new_email },
        });
        return { ok: true, value: undefined } as const;
      });
    },
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
