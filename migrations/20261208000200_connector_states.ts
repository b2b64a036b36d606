import type { Knex } from 'knex';

/**
 * Business connectors whose circuit breaker is open, shared by every instance: the job worker that
 * calls a system sees it fail, and the API instances (which answer /readyz and show the catalogue's
 * offline procedures) learn it from here. A row holds until `open_until`, so a worker that dies with
 * a breaker open does not leave its connector "down" for ever.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('connector_states', (t) => {
    t.text('connector').primary();
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('open_until', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('connector_states');
}
