import type { Knex } from 'knex';

/** Idle timeout of sessions, and login attempts for brute-force protection and tracing (Art. 19). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.timestamp('last_seen_at', { useTz: true });
    // the SSO server's session (CAS service ticket, OIDC sid): single logout ends ours
    t.text('external_ref');
    t.index(['external_ref']);
  });
  await knex('sessions').update({ last_seen_at: knex.ref('created_at') });
  await knex.schema.createTable('login_attempts', (t) => {
    t.bigIncrements('id');
    t.text('username').notNullable();
    t.text('ip').notNullable();
    t.boolean('success').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['username', 'ip', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('login_attempts');
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('last_seen_at');
    t.dropColumn('external_ref');
  });
}
