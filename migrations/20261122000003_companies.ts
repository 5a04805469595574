import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Professionals and contractors. The association PIN is kept twice: its hash to find the company when
  // someone types it, and sealed so its managers can read it under "Fournir un accès".
  await knex.schema.createTable('companies', (t) => {
    t.bigIncrements('id');
    t.text('legal_name').notNullable();
    t.text('operating_name');
    t.text('tarion_number');
    t.text('phone').notNullable();
    t.text('phone_ext');
    t.text('email');
    t.text('unit');
    t.text('address1');
    t.text('address2');
    t.text('city');
    t.text('province');
    t.text('postal_code');
    t.text('country');
    t.binary('pin_hash').notNullable().unique();
    t.text('pin_sealed').notNullable();
    // An earlier contractor record of the city: the PIN it mailed lets the first person in claim it.
    t.binary('city_pin_hash').unique();
    t.timestamp('city_pin_used_at', { useTz: true });
    t.bigInteger('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE companies ADD CONSTRAINT companies_phone_check CHECK (phone ~ '^[0-9]{10}$')`);

  await knex.schema.createTable('company_members', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.boolean('can_manage').notNullable().defaultTo(false);
    t.boolean('can_submit').notNullable().defaultTo(false);
    t.boolean('can_pay').notNullable().defaultTo(false);
    t.boolean('can_inspect').notNullable().defaultTo(false);
    t.boolean('can_upload').notNullable().defaultTo(false);
    t.boolean('can_manage_templates').notNullable().defaultTo(false);
    t.timestamp('joined_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['company_id', 'user_id']);
    t.index(['user_id']);
  });
  // Manage is everything on the company's behalf: a manager holds every other permission too.
  await knex.raw(`ALTER TABLE company_members ADD CONSTRAINT company_members_manage_implies_all CHECK (
    NOT can_manage OR (can_submit AND can_pay AND can_inspect AND can_upload AND can_manage_templates))`);

  // There is always at least one manager: checked at commit, after locking the company row, so two
  // managers demoting each other at the same moment cannot both succeed.
  await knex.raw(`
    CREATE FUNCTION company_keeps_a_manager() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      target bigint := COALESCE(NEW.company_id, OLD.company_id);
    BEGIN
      PERFORM 1 FROM companies WHERE id = target FOR UPDATE;
      IF NOT FOUND THEN
        RETURN NULL;
      END IF;
      IF EXISTS (SELECT 1 FROM company_members WHERE company_id = target)
         AND NOT EXISTS (SELECT 1 FROM company_members WHERE company_id = target AND can_manage) THEN
        RAISE EXCEPTION 'company % would be left without a manager', target USING ERRCODE = 'P0001', HINT = 'no_manager';
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE CONSTRAINT TRIGGER company_members_keep_a_manager
      AFTER INSERT OR UPDATE OR DELETE ON company_members
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION company_keeps_a_manager()`);

  // Who did what in a company: joins, permission changes, removals, PIN changes.
  await knex.schema.createTable('company_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('actor_user_id').references('users.id').onDelete('SET NULL');
    t.text('actor_name');
    t.bigInteger('subject_user_id').references('users.id').onDelete('SET NULL');
    t.text('subject_name');
    t.text('event').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['company_id', 'occurred_at']);
  });

  await knex.schema.alterTable('applications', (t) => {
    t.bigInteger('company_id').references('companies.id').onDelete('SET NULL');
  });
  await knex.raw(
    `CREATE INDEX applications_company_activity ON applications (company_id, last_activity_at DESC, id DESC)
       WHERE company_id IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX applications_company_activity');
  await knex.schema.alterTable('applications', (t) => t.dropColumn('company_id'));
  await knex.schema.dropTable('company_events');
  await knex.raw('DROP TRIGGER company_members_keep_a_manager ON company_members');
  await knex.raw('DROP FUNCTION company_keeps_a_manager()');
  await knex.schema.dropTable('company_members');
  await knex.schema.dropTable('companies');
}
