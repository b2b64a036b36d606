import type { Knex } from 'knex';

/** History actions by which a handler is done with a task (已办); claims, copies and comments are not. */
const DONE_ACTIONS = `('approved', 'rejected', 'returned', 'transferred', 'delegated', 'delegation-resolved', 'signer-opinion')`;

/**
 * The handler's lists besides the inbox, each read newest first by keyset and counted from its index:
 * - 已办: a person's actions on tasks, from the history, by (actor, at, task_id) over those actions only,
 *   and by (task_id, actor, seq) to tell whether a later action of theirs on the same task replaced one;
 * - 抄送我的: one row per person an application was copied to, when and by whom, written with the
 *   'copied' history entry (backfilled from it here), read by (person_id, copied_at, application_id);
 * - overdue among the inbox: open tasks by due time, per assignee and per unclaimed pool.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE INDEX application_history_done_by_actor ON application_history (actor, at, task_id)
      WHERE task_id IS NOT NULL AND action IN ${DONE_ACTIONS}`,
  );
  // "my last action on this task": a later one is found by the task, not by walking the person's actions again
  await knex.raw(
    `CREATE INDEX application_history_done_by_task ON application_history (task_id, actor, seq)
      WHERE task_id IS NOT NULL AND action IN ${DONE_ACTIONS}`,
  );
  await knex.schema.createTable('application_copies', (t) => {
    t.uuid('application_id').notNullable().references('applications.id');
    t.text('person_id').notNullable();
    t.timestamp('copied_at', { useTz: true }).notNullable();
    t.text('copied_by').notNullable();
    t.primary(['application_id', 'person_id']);
  });
  await knex.raw(
    'CREATE INDEX application_copies_by_person ON application_copies (person_id, copied_at, application_id)',
  );
  await knex.raw(`
    INSERT INTO application_copies (application_id, person_id, copied_at, copied_by)
    SELECT DISTINCT ON (h.application_id, p.person) h.application_id, p.person, h.at, h.actor
      FROM application_history h CROSS JOIN LATERAL jsonb_array_elements_text(h.detail->'to') AS p(person)
     WHERE h.action = 'copied' AND jsonb_typeof(h.detail->'to') = 'array'
     ORDER BY h.application_id, p.person, h.seq`);
  await knex.raw(
    `CREATE INDEX tasks_open_due_by_assignee ON tasks (assignee, due_at) WHERE status = 'open' AND due_at IS NOT NULL`,
  );
  await knex.raw(
    `CREATE INDEX tasks_open_due_by_pool ON tasks (candidate_unit, candidate_role, due_at)
      WHERE status = 'open' AND assignee IS NULL AND due_at IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX tasks_open_due_by_pool');
  await knex.raw('DROP INDEX tasks_open_due_by_assignee');
  await knex.schema.dropTable('application_copies');
  await knex.raw('DROP INDEX application_history_done_by_task');
  await knex.raw('DROP INDEX application_history_done_by_actor');
}
