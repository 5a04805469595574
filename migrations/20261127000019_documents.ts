import type { Knex } from 'knex';

/**
 * Documents on an application (J10): each upload's row, its bytes in object storage under their SHA-256
 * (content-addressed: the key is never anything a user typed). A document is served only once the
 * scanner found it clean (or, outside production with no scanner, marked not scanned); an infected one
 * stays listed, quarantined, never served. A deficiency may ask for a document, answered by an upload.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deficiencies', (t) => {
    t.boolean('wants_document').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('documents', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.specificType('sha256', 'char(64)').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.text('content_type').notNullable();
    // For display and the download's name only, cleaned of paths and control characters.
    t.text('file_name').notNullable();
    t.text('status').notNullable();
    t.text('found').comment('what the scanner found in an infected document');
    t.bigInteger('uploaded_by').references('users.id').onDelete('SET NULL');
    t.text('uploader_name').notNullable();
    t.timestamp('uploaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('scanned_at', { useTz: true });
    t.bigInteger('deficiency_id').references('deficiencies.id').onDelete('SET NULL');
  });
  await knex.raw(
    `ALTER TABLE documents ADD CONSTRAINT documents_check CHECK (
       status IN ('scanning', 'clean', 'infected', 'not_scanned')
       AND content_type IN ('application/pdf', 'image/jpeg', 'image/png')
       AND size_bytes > 0 AND size_bytes <= 52428800
       AND sha256 ~ '^[0-9a-f]{64}$'
       AND length(file_name) BETWEEN 1 AND 160)`,
  );
  // The application's documents, in upload order; the rows sharing one object (a quarantine, the check
  // that an object is still used before it is removed).
  await knex.raw(`CREATE INDEX documents_application ON documents (application_id, id)`);
  await knex.raw(`CREATE INDEX documents_sha256 ON documents (sha256)`);
  await knex.raw(
    `CREATE INDEX documents_deficiency ON documents (deficiency_id) WHERE deficiency_id IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('documents');
  await knex.schema.alterTable('deficiencies', (t) => {
    t.dropColumn('wants_document');
  });
}
