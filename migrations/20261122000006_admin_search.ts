import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Staff search applications by the start of the applicant's name or of the street, whatever the case.
  await knex.raw(
    `CREATE INDEX applications_applicant_name_prefix ON applications (lower(applicant_name) text_pattern_ops)`,
  );
  await knex.raw(
    `CREATE INDEX applications_street_prefix ON applications (lower(street_name) text_pattern_ops)`,
  );
  // The audit log filtered by who acted.
  await knex.raw(`CREATE INDEX audit_events_actor ON audit_events (actor_user_id, occurred_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX audit_events_actor');
  await knex.raw('DROP INDEX applications_street_prefix');
  await knex.raw('DROP INDEX applications_applicant_name_prefix');
}
