import type { Knex } from 'knex';

/**
 * Misuse of an account is traceable (Art. 19): each session keeps the address and the client (the
 * User-Agent) it was opened from, so the IT Center lists a person's sign-ins and finds one account
 * used at the same time from different addresses. Auditors and the IT Office read them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.text('ip');
    t.text('client');
    t.index(['person_id', 'created_at']);
    t.index(['created_at']);
  });
  await knex('casbin_rule').insert(
    ['it-office', 'auditor'].map((v0) => ({ ptype: 'p', v0, v1: '*', v2: 'sign-in', v3: 'read' })),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule').where({ ptype: 'p', v2: 'sign-in' }).delete();
  await knex.schema.alterTable('sessions', (t) => {
    t.dropIndex(['created_at']);
    t.dropIndex(['person_id', 'created_at']);
    t.dropColumn('client');
    t.dropColumn('ip');
  });
}
