import { NOTIFICATION_EVENTS, wantsEmail, type NotificationEvent } from '../../domain/notifications';
import { timingSafeEqual } from 'node:crypto';
import { recordAudit } from '../../audit/audit';
import { inTransaction, type Db } from '../../db/knex';
import { startPinAttempt } from '../pins/attempts';
import type { PinVault } from '../../crypto/pin-vault';
import * as records from '../earlier-records/queries';
import * as q from './queries';
import type { ProfileInput, ProfileUpdate } from './schemas';

type Ip = string | undefined;

export type LinkResult = { ok: true; name: string } | { ok: false; reason: 'invalid' | 'throttled' };

/** J2: the one-time registration for Building Code Services, the profile, and earlier client records. */
export function registrationService(db: Db, pins: PinVault) {
  return {
    /** The user's registration, usually already read with the session (see SessionUser.profile). */
    profileOf: async (user: { id: number; profile?: q.ProfileRow | null }) =>
      user.profile === undefined ? q.findProfile(db, user.id) : (user.profile ?? undefined),

    linkedClientRecords: (userId: number) => records.linkedClientRecords(db, userId),

    /** Saves the profile and the consent (with its time); the chosen language becomes the emails' one. */
    async register(userId: number, input: ProfileInput, ip: Ip): Promise<void> {
      await inTransaction(db, async (tx) => {
        if (!(await q.insertProfile(tx, userId, input))) return;
        await q.setLocale(tx, userId, input.language);
        await recordAudit(tx, { event: 'registration.completed', actorUserId: userId, ip });
      });
    },

    /** The events this person is emailed about (every one unless they unticked it). */
    async notifications(userId: number): Promise<NotificationEvent[]> {
      const optOuts = await q.emailOptOuts(db, userId);
      return NOTIFICATION_EVENTS.filter((event) => wantsEmail(optOuts, event));
    },

    async updateProfile(userId: number, input: ProfileUpdate): Promise<void> {
      await inTransaction(db, async (tx) => {
        await q.updateProfile(tx, userId, input);
        await q.setLocale(tx, userId, input.language);
        await q.setEmailOptOuts(
          tx,
          userId,
          NOTIFICATION_EVENTS.filter((event) => !input.notify.includes(event)),
        );
      });
    },

    /**
     * Links the account to the earlier client record whose PIN this is. A PIN works once; wrong guesses
     * are counted and refused beyond the limits before any lookup.
     */
    async linkClientRecord(userId: number, pin: string, ip: Ip): Promise<LinkResult> {
      const attempt = await startPinAttempt(db, 'client', userId, ip);
      if (!attempt) return { ok: false, reason: 'throttled' };
      const typed = pins.hash(pin);
      return inTransaction(db, async (tx) => {
        const record = await records.lockClientRecordByPin(tx, typed);
        // The index finds the row by hash; the final comparison does not depend on where bytes differ.
        const matches = !!record && timingSafeEqual(record.pin_hash, typed) && record.linked_user_id === null;
        if (!record || !matches) {
          await attempt.wrong(tx);
          return { ok: false, reason: 'invalid' } as const;
        }
        await attempt.right(tx);
        await records.linkClientRecord(tx, record.id, userId);
        await recordAudit(tx, {
          event: 'client_record.linked',
          actorUserId: userId,
          ip,
          details: { clientRecordId: record.id },
        });
        return { ok: true, name: record.name } as const;
      });
    },
  };
}

export type RegistrationService = ReturnType<typeof registrationService>;
