import type { Knex } from 'knex';

/**
 * The university calendar per year (法定节假日 and 调休上班), shared by every instance and editable
 * through `hall calendar`. Shipped years (seeds/calendars) are copied in by the application when it
 * starts, not here; only the IT Office may edit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendar_years', (t) => {
    t.integer('year').primary();
    t.jsonb('data').notNullable();
    t.text('source').notNullable().checkIn(['shipped', 'edited']);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('updated_by');
  });
  await knex('casbin_rule').insert({ ptype: 'p', v0: 'it-office', v1: '*', v2: 'calendar', v3: 'edit' });
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule').where({ ptype: 'p', v0: 'it-office', v2: 'calendar' }).delete();
  await knex.schema.dropTableIfExists('calendar_years');
}
