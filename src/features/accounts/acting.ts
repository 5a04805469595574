import type { Request, Response } from 'express';
import type { Lang } from '../../i18n/i18n';
import type { ProfileRow } from '../registration/queries';

/** The person acting on a request, as histories, the audit trail and emails name them. */
export interface PersonActing {
  userId: number;
  /** Staff: the name the city gave them; a client: their registration's name (else their address). */
  name: string;
  email: string;
  locale: Lang;
  ip: string | undefined;
}

/** Who is acting, from the signed-in account and (for a client) the registration the guard loaded. */
export function personActing(req: Request, res: Response): PersonActing {
  const user = req.user!;
  const profile = res.locals.profile as ProfileRow | null | undefined;
  const name =
    user.role === 'staff'
      ? (user.display_name ?? user.email)
      : profile
        ? `${profile.first_name} ${profile.last_name}`
        : user.email;
  return { userId: user.id, name, email: user.email, locale: user.locale, ip: req.ip };
}
