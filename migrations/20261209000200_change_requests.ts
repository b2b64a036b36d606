import type { Knex } from 'knex';

/**
 * 变更申请及变更需求 (Art. 11, 4(2)4): a change of an online item is a request to the IT Office,
 * with what changes and why; the IT Office accepts it (the draft version opens) or refuses it. At
 * most one request per item is pending. Only the IT Office decides; whoever reads the item reads
 * its requests.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service_change_requests', (t) => {
    t.uuid('id').primary();
    t.uuid('item_id').notNullable().references('service_items.id');
    t.text('unit_key').notNullable();
    t.text('state').notNullable().checkIn(['pending', 'accepted', 'refused']);
    t.text('reason').notNullable();
    t.jsonb('needs').notNullable();
    t.text('requested_by').notNullable();
    t.timestamp('requested_at', { useTz: true }).notNullable();
    t.text('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_comment');
    t.uuid('version_id').references('service_versions.id');
    t.index(['item_id', 'requested_at']);
    t.index(['state', 'requested_at']);
  });
  await knex.raw(
    `CREATE UNIQUE INDEX service_change_requests_one_pending ON service_change_requests (item_id) WHERE state = 'pending'`,
  );
  await knex('casbin_rule').insert({ ptype: 'p', v0: 'it-office', v1: '*', v2: 'change-request', v3: 'decide' });
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule').where({ ptype: 'p', v2: 'change-request' }).delete();
  await knex.schema.dropTableIfExists('service_change_requests');
}
