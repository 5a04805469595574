import { Router } from 'express';
import { ping, type Db } from '../../db/knex';

/** For the platform: /healthz says the process answers, /readyz that it can reach its database. */
export function healthRoutes(db: Db): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await ping(db);
      res.type('text/plain').send('ready');
    } catch {
      res.status(503).type('text/plain').send('database unreachable');
    }
  });
  return router;
}
