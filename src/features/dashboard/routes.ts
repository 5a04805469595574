import { Router } from 'express';
import { requireSignIn } from '../../web/auth';
import { page } from '../../web/page';

/** "Tableau de bord": the services of the signed-in user. */
export function dashboardRoutes(): Router {
  const router = Router();
  page(router, 'dashboard').get(requireSignIn, (_req, res) => res.render('dashboard/index'));
  return router;
}
