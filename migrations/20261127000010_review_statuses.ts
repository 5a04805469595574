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

/** Refused while an application still holds one of the new statuses (the check would fail): say so. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE applications DROP CONSTRAINT applications_status_check`);
  await knex.raw(
    `ALTER TABLE applications ADD CONSTRAINT applications_status_check CHECK (status IN (${BEFORE}))`,
  );
}
