import type { Knex } from 'knex';

/**
 * 备案 (Art. 4(3)2, 6): a unit's service admin files who is to handle the nodes of its items; the
 * IT Office grants the role from the filing or refuses it. `role_filings` keeps the filings;
 * `role_grants` says, for each role held, the filing it was granted from (NULL: granted without
 * one, or before filings existed). Only the casbin row decides access; `role_grants` only explains it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('role_filings', (t) => {
    t.uuid('id').primary();
    t.text('subject').notNullable().references('people.id');
    t.text('role').notNullable();
    t.text('unit_key').notNullable().references('units.key');
    t.jsonb('items').notNullable();
    t.text('reason').notNullable();
    t.uuid('certification_id');
    t.text('state').notNullable().checkIn(['pending', 'accepted', 'refused']);
    t.text('filed_by').notNullable();
    t.timestamp('filed_at', { useTz: true }).notNullable();
    t.text('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_comment');
    t.index(['state', 'filed_at']);
    t.index(['unit_key', 'filed_at']);
    t.index(['subject']);
  });
  await knex.schema.createTable('role_grants', (t) => {
    t.text('subject').notNullable();
    t.text('role').notNullable();
    t.text('unit').notNullable();
    t.uuid('filing_id').references('role_filings.id');
    t.primary(['subject', 'role', 'unit']);
  });
  await knex('casbin_rule').insert([
    // a unit's service admin files for the units where they hold the role ('*': wherever held)
    ...['file', 'read'].map((v3) => ({ ptype: 'p', v0: 'unit-service-admin', v1: '*', v2: 'role-filing', v3 })),
    ...['decide', 'read'].map((v3) => ({ ptype: 'p', v0: 'it-office', v1: '*', v2: 'role-filing', v3 })),
    { ptype: 'p', v0: 'auditor', v1: '*', v2: 'role-filing', v3: 'read' },
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule').where({ ptype: 'p', v2: 'role-filing' }).delete();
  await knex.schema.dropTableIfExists('role_grants');
  await knex.schema.dropTableIfExists('role_filings');
}
