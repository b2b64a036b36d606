import type { Knex } from 'knex';

/**
 * Reads of personal data by anyone other than its owner: an application's form, its attachments,
 * its printouts (who read whose data, when, in which request). Listed per person, newest first.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('data_reads', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('reader_id').notNullable();
    t.text('subject_id').notNullable();
    t.uuid('application_id').notNullable();
    t.text('what').notNullable();
    t.text('detail');
    t.text('request_id');
  });
  await knex.raw(
    `ALTER TABLE data_reads ADD CONSTRAINT data_reads_what CHECK (what IN ('form', 'attachment', 'printout'))`,
  );
  await knex.raw('CREATE INDEX data_reads_by_subject ON data_reads (subject_id, id DESC)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('data_reads');
}
