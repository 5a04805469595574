import type { Request, Response } from 'express';
import type { PageName } from '../../web/paths';
import type { ApplicationsService } from './service';

/** The Building Code Services home: its header, its tabs (with the count of required actions), one tab's content. */
export function homeTab(applications: ApplicationsService) {
  return async (
    req: Request,
    res: Response,
    tab: PageName,
    content: Record<string, unknown>,
    status = 200,
  ) => {
    // A tab whose list already counted the required actions passes them; another tab counts them here.
    const actionCount =
      typeof content.actionCount === 'number'
        ? content.actionCount
        : await applications.countActionsRequired(await applications.viewer(req.user!));
    res.status(status).render('applications/home', { tab, ...content, actionCount });
  };
}

export type HomeTab = ReturnType<typeof homeTab>;
