import type { Request } from 'express';
import { ForbiddenError } from '../../errors';
import type { ApplicationRow, Standing } from './queries';
import { refParam } from './schemas';
import type { ApplicationsService } from './service';

/**
 * The application a page's address names (:ref), for the pages hung on one: 404 unless this user sees
 * it, and 403 when `may` (what the page needs, such as asking an inspection) says they may not.
 */
export async function applicationOnPage(
  applications: ApplicationsService,
  req: Request,
  may?: (standing: Standing, application: ApplicationRow) => boolean,
): Promise<{ application: ApplicationRow; ref: string }> {
  const ref = refParam(req);
  const { application } = await applications.activity(req.user!, ref);
  if (may && !may(await applications.standingOn(req.user!.id, application), application))
    throw new ForbiddenError();
  return { application, ref };
}
