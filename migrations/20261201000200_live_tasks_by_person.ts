import type { Knex } from 'knex';

/**
 * The hand-over (交接) of a person who leaves finds the live tasks they hold or delegated: two
 * partial indexes over live tasks only, combined by a bitmap OR, instead of a scan of every task
 * ever created.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX tasks_live_by_assignee ON tasks (assignee) WHERE status IN ('open', 'waiting')`);
  await knex.raw(
    `CREATE INDEX tasks_live_by_delegator ON tasks (delegated_by) WHERE status IN ('open', 'waiting') AND delegated_by IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX tasks_live_by_delegator');
  await knex.raw('DROP INDEX tasks_live_by_assignee');
}
