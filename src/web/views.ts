import ejs from 'ejs';
import type { Express } from 'express';
import { join } from 'node:path';
import { projectRoot } from '../project-root';

/**
 * EJS views from views/. They include each other by absolute name ('/partials/field'), resolved from
 * the views folder: EJS looks a relative include up on disk (a system call) each time a page renders,
 * an absolute one it does not. EJS 7 no longer reads Express's 'view options', so the engine is
 * registered with its root here.
 */
export function useViews(app: Express): void {
  const views = join(projectRoot, 'views');
  app.set('view engine', 'ejs');
  app.set('views', views);
  app.engine('ejs', (path, data, callback) =>
    ejs.renderFile(path, data, { root: views, cache: app.enabled('view cache') }, callback),
  );
}
