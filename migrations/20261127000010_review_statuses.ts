import type { Knex } from 'knex';

const BEFORE = `'draft', 'submitted', 'in_review', 'payment_due', 'issued', 'withdrawn', 'closed'`;
const AFTER = `${BEFORE}, 'information_required', 'refused'`;

/** J8's two statuses: Renseignements requis (the city waits for the applicant) and Refusé. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE applications DROP CONSTRAINT applications_status_check`);
  await knex.raw(
    `ALTER TABLE applications ADD CONSTRAINT applications_status_check CHECK (status IN (${AFTER}))`,
  );
}

/**
 * The earlier code knows neither status: an application waiting for information goes back to En examen,
 * a refused one to Fermé (its history keeps what happened).
 */
export async function down(knex: Knex): Promise<void> {
  await knex('applications').where({ status: 'information_required' }).update({ status: 'in_review' });
  await knex('applications').where({ status: 'refused' }).update({ status: 'closed' });
  await knex.raw(`ALTER TABLE applications DROP CONSTRAINT applications_status_check`);
  await knex.raw(
    `ALTER TABLE applications ADD CONSTRAINT applications_status_check CHECK (status IN (${BEFORE}))`,
  );
}
