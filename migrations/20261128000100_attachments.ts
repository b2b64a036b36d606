import type { Knex } from 'knex';

/** Attachments of applications: metadata and content hash here, bytes in the AttachmentStore. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attachments', (t) => {
    t.uuid('id').primary();
    t.uuid('application_id').notNullable().references('applications.id');
    t.text('uploaded_by').notNullable();
    t.text('file_name').notNullable();
    t.text('content_type').notNullable();
    t.integer('size').notNullable();
    t.text('sha256').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['application_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('attachments');
}
