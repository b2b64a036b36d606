import type { Knex } from 'knex';

/**
 * The history of an application (办件记录) becomes an append-only table, one row per event keyed by
 * (application, seq), instead of a jsonb array rewritten by every action; the application keeps the
 * seq of its last event. Tasks carry their application's owning unit, so supervision and the
 * per-unit figures read open tasks without visiting every application.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('application_history', (t) => {
    t.uuid('application_id').notNullable().references('applications.id');
    t.integer('seq').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('node');
    t.uuid('task_id');
    t.text('comment');
    // handlers' private notes: never shown to the applicant, filtered in the query so pages stay whole
    t.boolean('private').notNullable().defaultTo(false);
    t.jsonb('detail');
    t.primary(['application_id', 'seq']);
  });
  await knex.raw(`
    INSERT INTO application_history (application_id, seq, at, actor, action, node, task_id, comment, private, detail)
    SELECT a.id, (e->>'seq')::int, (e->>'at')::timestamptz, e->>'actor', e->>'action', e->>'node', (e->>'taskId')::uuid,
           e->>'comment', coalesce((e->>'private')::boolean, false), e->'detail'
      FROM applications a, jsonb_array_elements(a.history) e`);
  await knex.schema.alterTable('applications', (t) => {
    t.integer('last_seq').notNullable().defaultTo(0);
  });
  await knex.raw('UPDATE applications SET last_seq = jsonb_array_length(history)');
  await knex.schema.alterTable('applications', (t) => {
    t.dropColumn('history');
  });

  await knex.schema.alterTable('tasks', (t) => {
    t.text('owning_unit').references('units.key');
  });
  await knex.raw('UPDATE tasks t SET owning_unit = a.owning_unit FROM applications a WHERE a.id = t.application_id');
  await knex.raw('ALTER TABLE tasks ALTER COLUMN owning_unit SET NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('owning_unit');
  });
  await knex.schema.alterTable('applications', (t) => {
    t.jsonb('history').notNullable().defaultTo('[]');
  });
  await knex.raw(`
    UPDATE applications a SET history = h.entries FROM (
      SELECT application_id, jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
        'seq', seq, 'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'actor', actor, 'action', action,
        'node', node, 'taskId', task_id, 'comment', comment, 'private', CASE WHEN private THEN true END, 'detail', detail)) ORDER BY seq) AS entries
      FROM application_history GROUP BY application_id) h
    WHERE h.application_id = a.id`);
  await knex.schema.alterTable('applications', (t) => {
    t.dropColumn('last_seq');
  });
  await knex.schema.dropTable('application_history');
}
