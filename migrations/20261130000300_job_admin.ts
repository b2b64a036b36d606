import type { Knex } from 'knex';

/** The IT Office watches the durable jobs and sends failed ones round again (`hall jobs`). */
export async function up(knex: Knex): Promise<void> {
  await knex('casbin_rule').insert({ ptype: 'p', v0: 'it-office', v1: '*', v2: 'jobs', v3: 'manage' });
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule').where({ ptype: 'p', v0: 'it-office', v2: 'jobs' }).delete();
}
