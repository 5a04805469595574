import 'express-session';
import type { Lang } from '../i18n/i18n';
import type { SessionUser } from '../features/accounts/queries';

declare module 'express-session' {
  interface SessionData {
    /** When the user signed in (ms since epoch): the absolute 12-hour limit counts from here. */
    signedInAt?: number;
    flash?: { key: string; params?: Record<string, string | number> };
    returnTo?: string;
    /** When a staff member last proved their second factor in this session. */
    mfaAt?: number;
  }
}

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
    interface Request {
      lang: Lang;
      /** A visitor's CSRF token made during this request; the browser gets it in a cookie (web/csrf.ts). */
      csrfVisitorToken?: string;
    }
  }
}
