import { Router } from 'express';
import { page } from '../../web/page';

/** The pages of the header's "Aide" and of the footer, open to everyone, signed in or not. */
export function infoRoutes(): Router {
  const router = Router();
  page(router, 'help').get((_req, res) => res.render('info/help'));
  page(router, 'terms').get((_req, res) => res.render('info/terms'));
  for (const name of ['contact', 'privacy', 'accessibility'] as const)
    page(router, name).get((_req, res) => res.render('info/page', { name }));
  return router;
}
