import type { Knex } from 'knex';

/**
 * Inspections (J10). The stages are the Ontario Building Code's notices of inspection (Division C,
 * 1.3.5.1), as a table the city corrects: which permit types each applies to, whether it is mandatory
 * (a permit cannot be closed before it passed), and which one is final (its passing closes the permit).
 * Each inspection is asked for by the applicant's side, scheduled by staff (a day and a half-day window,
 * an inspector), then passed, failed (to book again) or cancelled.
 */
const STAGES = [
  {
    code: 'footings',
    position: 1,
    name_fr: 'Semelles',
    name_en: 'Footings',
    mandatory: true,
    applies_to: ['house', 'addition', 'accessory_building', 'deck'],
  },
  {
    code: 'foundation',
    position: 2,
    name_fr: 'Fondations',
    name_en: 'Foundation',
    mandatory: true,
    applies_to: ['house', 'addition'],
  },
  {
    code: 'framing',
    position: 3,
    name_fr: 'Charpente',
    name_en: 'Framing',
    mandatory: true,
    applies_to: ['house', 'addition', 'accessory_building', 'deck', 'interior_alteration'],
  },
  {
    code: 'insulation',
    position: 4,
    name_fr: 'Isolation',
    name_en: 'Insulation',
    mandatory: true,
    applies_to: ['house', 'addition'],
  },
  {
    code: 'plumbing',
    position: 5,
    name_fr: 'Plomberie',
    name_en: 'Plumbing',
    mandatory: false,
    applies_to: ['house', 'addition', 'interior_alteration'],
  },
  {
    code: 'final',
    position: 6,
    name_fr: 'Finale',
    name_en: 'Final',
    mandatory: true,
    final: true,
    applies_to: [
      'house',
      'addition',
      'accessory_building',
      'deck',
      'pool_enclosure',
      'interior_alteration',
      'demolition',
    ],
  },
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inspection_stages', (t) => {
    t.text('code').primary();
    t.integer('position').notNullable();
    t.text('name_fr').notNullable();
    t.text('name_en').notNullable();
    t.boolean('mandatory').notNullable();
    t.boolean('final').notNullable().defaultTo(false);
    t.specificType('applies_to', 'text[]').notNullable();
  });
  // One final stage: its passing closes the permit.
  await knex.raw(`CREATE UNIQUE INDEX inspection_stages_one_final ON inspection_stages (final) WHERE final`);
  await knex('inspection_stages').insert(STAGES.map((s) => ({ final: false, ...s })));

  await knex.schema.createTable('inspections', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.text('stage').notNullable().references('inspection_stages.code').onDelete('RESTRICT');
    t.text('status').notNullable().defaultTo('requested');
    t.date('preferred_on').notNullable();
    t.text('contact_phone').notNullable();
    t.text('notes').notNullable().defaultTo('');
    t.bigInteger('requested_by').references('users.id').onDelete('SET NULL');
    t.text('requested_by_name').notNullable();
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.date('scheduled_on');
    t.text('time_window');
    t.text('inspector_name');
    // The calendar file's SEQUENCE: each new schedule of the same inspection replaces the last in a calendar.
    t.integer('sequence').notNullable().defaultTo(0);
    t.text('result_notes');
    t.text('decided_by_name');
    t.timestamp('decided_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE inspections ADD CONSTRAINT inspections_check CHECK (
       status IN ('requested', 'scheduled', 'passed', 'failed', 'cancelled')
       AND (time_window IS NULL OR time_window IN ('morning', 'afternoon'))
       AND (status NOT IN ('scheduled', 'passed', 'failed') OR (scheduled_on IS NOT NULL AND time_window IS NOT NULL))
       AND (status <> 'failed' OR length(result_notes) > 0))`,
  );
  // Failed stages not yet booked again, counted under "Actions requises" (kept by the inspections' code).
  await knex.schema.alterTable('applications', (t) => {
    t.integer('inspections_to_book').notNullable().defaultTo(0);
  });
  // An application's inspections; staff's queue: the requests to schedule, then each day's schedule.
  await knex.raw(`CREATE INDEX inspections_application ON inspections (application_id, id)`);
  await knex.raw(
    `CREATE INDEX inspections_to_schedule ON inspections (preferred_on, id) WHERE status = 'requested'`,
  );
  await knex.raw(
    `CREATE INDEX inspections_by_day ON inspections (scheduled_on, time_window, id) WHERE status = 'scheduled'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => {
    t.dropColumn('inspections_to_book');
  });
  await knex.schema.dropTable('inspections');
  await knex.schema.dropTable('inspection_stages');
}
