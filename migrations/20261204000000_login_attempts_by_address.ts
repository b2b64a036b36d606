import type { Knex } from 'knex';

/** Failed sign-ins are counted per address too (whichever accounts it tried): look them up by address. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('login_attempts', (t) => {
    t.index(['ip', 'at'], 'login_attempts_ip_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('login_attempts', (t) => {
    t.dropIndex(['ip', 'at'], 'login_attempts_ip_at_index');
  });
}
