import type { Knex } from 'knex';

/**
 * The annual evaluation (Regulation Art. 18): who may read its figures (the President's Office, the
 * IT Office, auditors) and export them (the two offices), and the filing (备案) of every export: the
 * year, scope and cut-off it was made for and the hash of the file handed over.
 */
const RULES = [
  { ptype: 'p', v0: 'president-office', v1: '*', v2: 'evaluation', v3: 'read' },
  { ptype: 'p', v0: 'president-office', v1: '*', v2: 'evaluation', v3: 'export' },
  { ptype: 'p', v0: 'it-office', v1: '*', v2: 'evaluation', v3: 'read' },
  { ptype: 'p', v0: 'it-office', v1: '*', v2: 'evaluation', v3: 'export' },
  { ptype: 'p', v0: 'auditor', v1: '*', v2: 'evaluation', v3: 'read' },
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('evaluation_exports', (t) => {
    t.uuid('id').primary();
    t.integer('year').notNullable();
    t.text('unit_key').references('units.key');
    t.text('format').notNullable().checkIn(['xlsx', 'csv']);
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.boolean('provisional').notNullable();
    t.text('sha256').notNullable();
    t.integer('size').notNullable();
    t.text('exported_by').notNullable();
    t.timestamp('exported_at', { useTz: true }).notNullable();
    t.index(['year', 'exported_at']);
  });
  await knex('casbin_rule').insert(RULES);
  // the year's urges (催办) without reading every application's history
  await knex.raw(`CREATE INDEX application_history_urged ON application_history (at) WHERE action = 'urged'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS application_history_urged');
  await knex('casbin_rule').where({ ptype: 'p', v2: 'evaluation' }).delete();
  await knex.schema.dropTableIfExists('evaluation_exports');
}
