import type { Knex } from 'knex';

/** Training certifications (Art. 17) and the IT Office's permission to grant roles (Art. 6). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('certifications', (t) => {
    t.uuid('id').primary();
    t.text('person_id').notNullable().references('people.id');
    t.text('course').notNullable();
    t.date('passed_on').notNullable();
    t.date('expires_on').notNullable();
    t.text('recorded_by').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable();
    t.index(['person_id', 'expires_on']);
  });
  await knex('casbin_rule').insert(
    [
      ['role-assignment', 'grant'],
      ['role-assignment', 'revoke'],
      ['role-assignment', 'read'],
      ['certification', 'record'],
    ].map(([obj, act]) => ({ ptype: 'p', v0: 'it-office', v1: '*', v2: obj, v3: act })),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule')
    .where({ ptype: 'p', v0: 'it-office' })
    .whereIn('v2', ['role-assignment', 'certification'])
    .delete();
  await knex.schema.dropTableIfExists('certifications');
}
