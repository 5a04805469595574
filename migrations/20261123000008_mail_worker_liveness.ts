import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Each running mail worker pool says it is alive here. The job queue only frees the jobs of a worker
  // that died (SIGKILL, power cut) after 4 hours; with this, the others free them within a minute.
  await knex.schema.createTable('mail_worker_pools', (t) => {
    t.text('id').primary();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mail_worker_pools');
}
