import type { Knex } from 'knex';

/** 好差评 ratings and the follow-ups (整改) bad ratings open. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('evaluations', (t) => {
    t.uuid('application_id').primary().references('applications.id');
    t.uuid('item_id').notNullable().references('service_items.id');
    t.text('owning_unit').notNullable();
    t.text('applicant_id').notNullable();
    t.smallint('level').notNullable().checkBetween([1, 5]);
    t.text('comment');
    t.smallint('changes').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['item_id']);
  });
  await knex.schema.createTable('follow_ups', (t) => {
    t.uuid('id').primary();
    t.uuid('application_id').notNullable().references('applications.id');
    t.uuid('item_id').notNullable().references('service_items.id');
    t.text('owning_unit').notNullable();
    t.smallint('level').notNullable();
    t.text('comment');
    t.text('status').notNullable().checkIn(['open', 'resolved', 'withdrawn']);
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('closed_at', { useTz: true });
    t.text('closed_by');
    t.text('resolution');
    t.index(['owning_unit', 'status', 'due_at']);
  });
  await knex.raw(`CREATE UNIQUE INDEX follow_ups_one_open ON follow_ups (application_id) WHERE status = 'open'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('follow_ups');
  await knex.schema.dropTableIfExists('evaluations');
}
