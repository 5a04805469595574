// The few typed errors any layer may throw; web/errors.ts turns each into its status and page.

/** The page or thing asked for does not exist, or the user may not know that it does. */
export class NotFoundError extends Error {}

/** The user is known but may not do this. */
export class ForbiddenError extends Error {}

/** The portal has too much of one kind of work waiting (password hashing): a 503 to retry shortly. */
export class BusyError extends Error {}
