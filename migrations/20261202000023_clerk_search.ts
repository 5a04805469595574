import type { Knex } from 'knex';

/**
 * What the clerks search. Staff find "42 rue Elgin" by typing "elgin", "Elgin" or "42 rue elg", and "chemin de Montréal" by
 * "montreal": any part of the address, whatever its case and accents. A trigram index (pg_trgm) on the
 * address folded to lower case without accents (unaccent) serves "contains", at a million rows too.
 * Both extensions are trusted: a database owner may create them without being a superuser.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public');
  // unaccent() is only STABLE (its dictionary could change); an index needs IMMUTABLE, so the dictionary
  // is named and the function declared immutable: the usual way, safe while the dictionary stays put.
  // Both are named with their schema: PostgreSQL 17 builds indexes with search_path = pg_catalog, where
  // an unqualified "unaccent" is not found (the embedded PostgreSQL of npm start is 17 or later).
  await knex.raw(`
    CREATE FUNCTION portal_fold(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`);
  await knex.raw(`
    CREATE INDEX applications_street_search ON applications
      USING gin (portal_fold(coalesce(street_number, '') || ' ' || coalesce(street_name, '')) gin_trgm_ops)`);
  // "Starts with" on the street alone is now part of "contains" on the whole address.
  await knex.raw('DROP INDEX applications_street_prefix');
  // Earlier records found by the start of their name, to reprint a letter; companies likewise (the
  // accounts search had no index for them).
  await knex.raw(`CREATE INDEX client_records_name_prefix ON client_records (lower(name) text_pattern_ops)`);
  await knex.raw(
    `CREATE INDEX companies_legal_name_prefix ON companies (lower(legal_name) text_pattern_ops)`,
  );
  // Decided withdrawal requests stay findable: the latest decisions, newest first.
  await knex.raw(
    `CREATE INDEX withdrawal_requests_decided ON withdrawal_requests (decided_at DESC) WHERE status IN ('approved', 'refused')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX withdrawal_requests_decided');
  await knex.raw('DROP INDEX companies_legal_name_prefix');
  await knex.raw('DROP INDEX client_records_name_prefix');
  await knex.raw(
    `CREATE INDEX applications_street_prefix ON applications (lower(street_name) text_pattern_ops)`,
  );
  await knex.raw('DROP INDEX applications_street_search');
  await knex.raw('DROP FUNCTION portal_fold(text)');
  await knex.raw('DROP EXTENSION IF EXISTS unaccent');
  await knex.raw('DROP EXTENSION IF EXISTS pg_trgm');
}
