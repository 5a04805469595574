import { timingSafeEqual } from 'node:crypto';
import { recordAudit } from '../../audit/audit';
import { inTransaction, type Db, type Tx } from '../../db/knex';
import {
  ALL_PERMISSIONS,
  grant,
  NO_PERMISSION,
  PERMISSION_COLUMNS,
  allowed,
  permissionsOf,
  type Permission,
} from '../../domain/company-permissions';
import { startPinAttempt } from '../pins/attempts';
import { freshPin } from '../../domain/pins';
import type { PinVault } from '../../crypto/pin-vault';
import type { MailQueue } from '../../mail/queue';
import * as q from './queries';
import type { PersonActing } from '../accounts/acting';
import type { BulkAction, CompanyInput } from './schemas';

export type Actor = Pick<PersonActing, 'userId' | 'name' | 'ip'>;

export type AssociateResult =
  | { ok: true; companyId: number; name: string; claimed: boolean }
  | { ok: false; reason: 'invalid' | 'throttled' | 'already' };

export type BulkResult =
  | { ok: true; changed: number; removedSelf: boolean }
  | { ok: false; reason: 'noManager' | 'forbidden' | 'noneFound' };

/** The database refused a change that would leave a company without a manager (see the migration). */
function isNoManagerError(error: unknown): boolean {
  return (error as { code?: string; hint?: string })?.hint === 'no_manager';
}

interface Deps {
  db: Db;
  mail: MailQueue;
  pins: PinVault;
}

/**
 * Whether the actor manages the company, read under the company's lock: the route's guard looked before
 * the transaction, and another manager may have taken Gérer away since.
 */
async function managesLocked(tx: Tx, companyId: number, userId: number): Promise<boolean> {
  const company = await q.lockCompany(tx, companyId);
  return !!company && allowed(await q.membership(tx, companyId, userId)).manage;
}

/** J4: professionals and contractors, their PIN, the people associated with them and their permissions. */
export function companiesService({ db, mail, pins }: Deps) {
  /** Tells each person whose access changed, in their language. */
  async function tellAccessChanged(
    tx: Tx,
    company: q.CompanyRow,
    people: q.MemberListing[],
    removed: boolean,
  ) {
    for (const person of people) {
      const after = removed ? undefined : await q.membership(tx, company.id, person.user_id);
      await mail.enqueue(tx, {
        template: removed ? 'companyRemoved' : 'companyAccessChanged',
        to: person.email,
        lang: person.locale,
        params: {
          company: company.legal_name,
          permissions: after ? permissionsOf(after).join(',') : '',
        },
        link: { page: 'bcsCompanies' },
      });
    }
  }

  return {
    companiesOf: (userId: number) => q.companiesOf(db, userId),
    /** The company and the user's membership of it, or undefined when they are not a member. */
    access: (companyId: number, userId: number) => q.companyWithMembership(db, companyId, userId),
    members: (companyId: number, page: { size: number; offset: number }) => q.members(db, companyId, page),
    history: (companyId: number) => q.history(db, companyId),
    pinOf: (company: q.CompanyRow) => pins.open(company.pin_sealed),

    /** "Enregistrer un nouveau": the creator becomes its manager, with every permission, and it gets a PIN. */
    async create(actor: Actor, input: CompanyInput): Promise<number> {
      return inTransaction(db, async (tx) => {
        const pin = await freshPin(pins.hash, (hash) => q.pinTaken(tx, hash));
        const companyId = await q.insertCompany(tx, input, {
          pinHash: pins.hash(pin),
          pinSealed: pins.seal(pin),
          createdBy: actor.userId,
        });
        await q.addMember(tx, companyId, actor.userId, ALL_PERMISSIONS);
        await q.addEvent(tx, {
          companyId,
          actorUserId: actor.userId,
          actorName: actor.name,
          event: 'created',
        });
        await recordAudit(tx, {
          event: 'company.created',
          actorUserId: actor.userId,
          ip: actor.ip,
          details: { companyId },
        });
        return companyId;
      });
    },

    /** False, with nothing changed, when the actor no longer manages the company (checked under its lock). */
    async updateDetails(actor: Actor, companyId: number, input: CompanyInput): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        if (!(await managesLocked(tx, companyId, actor.userId))) return false;
        await q.updateCompany(tx, companyId, input);
        await q.addEvent(tx, {
          companyId,
          actorUserId: actor.userId,
          actorName: actor.name,
          event: 'details_updated',
        });
        return true;
      });
    },

    /**
     * "NIP des professionnels/entrepreneurs" + "Associer": joins with no permission (the managers are told);
     * a contractor PIN mailed by the city lets the first person in claim the earlier record as its manager.
     */
    async associate(actor: Actor, pin: string, ip: string | undefined): Promise<AssociateResult> {
      const attempt = await startPinAttempt(db, 'company', actor.userId, ip);
      if (!attempt) return { ok: false, reason: 'throttled' };
      const typed = pins.hash(pin);
      return inTransaction(db, async (tx) => {
        const found = await q.lockCompanyByPin(tx, typed);
        const byCityPin = !!found?.city_pin_hash && timingSafeEqual(found.city_pin_hash, typed);
        if (!found || (!byCityPin && !timingSafeEqual(found.pin_hash, typed))) {
          await attempt.wrong(tx);
          return { ok: false, reason: 'invalid' } as const;
        }
        await attempt.right(tx);
        const company = found as q.CompanyRow;
        if (await q.membership(tx, company.id, actor.userId))
          return { ok: false, reason: 'already' } as const;
        const hasMembers = await q.hasMembers(tx, company.id);
        // The city's letter goes to the contractor itself: the first to use it manages the record.
        const claimed = byCityPin && !hasMembers;
        if (byCityPin) await q.useCityPin(tx, company.id);
        await q.addMember(tx, company.id, actor.userId, claimed ? ALL_PERMISSIONS : NO_PERMISSION);
        await q.addEvent(tx, {
          companyId: company.id,
          actorUserId: actor.userId,
          actorName: actor.name,
          subjectUserId: actor.userId,
          subjectName: actor.name,
          event: claimed ? 'claimed' : 'joined',
        });
        await recordAudit(tx, {
          event: 'company.joined',
          actorUserId: actor.userId,
          ip,
          details: { companyId: company.id, claimed },
        });
        if (!claimed) {
          for (const manager of await q.managers(tx, company.id)) {
            await mail.enqueue(tx, {
              template: 'companyMemberJoined',
              to: manager.email,
              lang: manager.locale,
              params: {
                company: company.legal_name,
                member: actor.name,
              },
              link: { page: 'companyMembers', params: { id: String(company.id) } },
            });
          }
        }
        return { ok: true, companyId: company.id, name: company.legal_name, claimed } as const;
      });
    },

    /**
     * The bulk actions of Comptes associés on the ticked rows. Refused when the company would be left
     * without a manager, by this check and, for two managers acting at once, by the database at commit.
     */
    async bulk(actor: Actor, companyId: number, action: BulkAction, userIds: number[]): Promise<BulkResult> {
      try {
        return await inTransaction(db, async (tx) => {
          const company = await q.lockCompany(tx, companyId);
          if (!company || !allowed(await q.membership(tx, companyId, actor.userId)).manage)
            return { ok: false, reason: 'forbidden' } as const;
          const targets = await q.membersByIds(tx, companyId, userIds);
          if (!targets.length) return { ok: false, reason: 'noneFound' } as const;
          const ids = targets.map((t) => t.user_id);
          if (action === 'remove') await q.removeMembers(tx, companyId, ids);
          else
            await q.setPermissions(
              tx,
              companyId,
              ids,
              action === 'revoke_all' ? NO_PERMISSION : grant(action.slice(6) as Permission),
            );
          if (!(await q.hasManager(tx, companyId)))
            throw Object.assign(new Error('no manager left'), { hint: 'no_manager' });
          for (const target of targets) {
            await q.addEvent(tx, {
              companyId,
              actorUserId: actor.userId,
              actorName: actor.name,
              subjectUserId: target.user_id,
              subjectName: target.name,
              event: action === 'remove' ? 'removed' : action === 'revoke_all' ? 'revoked_all' : 'granted',
              details: action.startsWith('grant_') ? { permission: action.slice(6) } : {},
            });
          }
          // One row per person affected, naming them: "Vivian → Alex", not the manager twice.
          for (const target of targets)
            await recordAudit(tx, {
              event: 'company.permissions_changed',
              actorUserId: actor.userId,
              subjectUserId: target.user_id,
              ip: actor.ip,
              details: { companyId, action },
            });
          await tellAccessChanged(tx, company, targets, action === 'remove');
          return {
            ok: true,
            changed: targets.length,
            removedSelf: action === 'remove' && ids.includes(actor.userId),
          } as const;
        });
      } catch (error) {
        if (isNoManagerError(error)) return { ok: false, reason: 'noManager' };
        throw error;
      }
    },

    /**
     * "Enregistrer les autorisations": each shown row gets exactly the permissions ticked in its cells
     * (Manage brings all the others, as everywhere). Only the people whose permissions change are
     * written, told and recorded; the company keeps a manager, as with the bulk actions.
     */
    async savePermissionGrid(
      actor: Actor,
      companyId: number,
      grid: Map<number, Set<Permission>>,
    ): Promise<BulkResult> {
      try {
        return await inTransaction(db, async (tx) => {
          const company = await q.lockCompany(tx, companyId);
          if (!company || !allowed(await q.membership(tx, companyId, actor.userId)).manage)
            return { ok: false, reason: 'forbidden' } as const;
          const shown = await q.membersByIds(tx, companyId, [...grid.keys()]);
          if (!shown.length) return { ok: false, reason: 'noneFound' } as const;
          const changed: q.MemberListing[] = [];
          for (const member of shown) {
            const ticked = grid.get(member.user_id)!;
            const columns = ticked.has('manage')
              ? ALL_PERMISSIONS
              : {
                  ...NO_PERMISSION,
                  ...Object.fromEntries([...ticked].map((p) => [PERMISSION_COLUMNS[p], true])),
                };
            const now = permissionsOf(columns);
            if (now.join() === permissionsOf(member).join()) continue;
            await q.setPermissions(tx, companyId, [member.user_id], columns);
            changed.push(member);
            await q.addEvent(tx, {
              companyId,
              actorUserId: actor.userId,
              actorName: actor.name,
              subjectUserId: member.user_id,
              subjectName: member.name,
              event: 'permissions_set',
              details: { permissions: now },
            });
            await recordAudit(tx, {
              event: 'company.permissions_changed',
              actorUserId: actor.userId,
              subjectUserId: member.user_id,
              ip: actor.ip,
              details: { companyId, action: 'set', permissions: now },
            });
          }
          if (!(await q.hasManager(tx, companyId)))
            throw Object.assign(new Error('no manager left'), { hint: 'no_manager' });
          await tellAccessChanged(tx, company, changed, false);
          return { ok: true, changed: changed.length, removedSelf: false } as const;
        });
      } catch (error) {
        if (isNoManagerError(error)) return { ok: false, reason: 'noManager' };
        throw error;
      }
    },

    /** "Créer un nouveau code NIP": the old PIN stops working at once. False when no longer a manager. */
    async rotatePin(actor: Actor, companyId: number): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        if (!(await managesLocked(tx, companyId, actor.userId))) return false;
        const pin = await freshPin(pins.hash, (hash) => q.pinTaken(tx, hash));
        await q.setPin(tx, companyId, pins.hash(pin), pins.seal(pin));
        await q.addEvent(tx, {
          companyId,
          actorUserId: actor.userId,
          actorName: actor.name,
          event: 'pin_changed',
        });
        await recordAudit(tx, {
          event: 'company.pin_changed',
          actorUserId: actor.userId,
          ip: actor.ip,
          details: { companyId },
        });
        return true;
      });
    },
  };
}

export type CompaniesService = ReturnType<typeof companiesService>;
