import type { Knex } from 'knex';

/**
 * The owning unit's service admins and the IT Office manage the applications of an item: they
 * search them (without their forms), cancel one (撤销 by an admin) and reassign a task (改派).
 * The search pages newest first by submission within an item, served by an index of its own.
 */
export async function up(knex: Knex): Promise<void> {
  await knex('casbin_rule').insert(
    ['unit-service-admin', 'it-office'].map((v0) => ({ ptype: 'p', v0, v1: '*', v2: 'application', v3: 'manage' })),
  );
  await knex.raw(
    'CREATE INDEX applications_by_item_submitted ON applications (item_id, submitted_at DESC, id DESC) WHERE submitted_at IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX applications_by_item_submitted');
  await knex('casbin_rule').where({ ptype: 'p', v2: 'application', v3: 'manage' }).delete();
}
