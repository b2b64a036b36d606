import type { Knex } from 'knex';

/**
 * Parallel and inclusive branches: an application may wait at several steps at once, and a join
 * gateway holds the branches that have arrived until every branch that can still reach it has come.
 * `active_node` stays: the first active step, which list views show.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE applications
    ADD COLUMN active_nodes jsonb NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN waiting_joins jsonb NOT NULL DEFAULT '[]'::jsonb`);
  await knex.raw(`UPDATE applications SET active_nodes = jsonb_build_array(active_node) WHERE active_node IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE applications DROP COLUMN waiting_joins, DROP COLUMN active_nodes`);
}
