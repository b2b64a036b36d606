import type { Knex } from 'knex';

/**
 * Emergency drill reports (应急演练, Art. 4(2)5, 4(3)4): who ran which scenario, when, the verdict,
 * and the whole report. The IT Office runs drills; it, the auditors and the President's Office read them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('drill_reports', (t) => {
    t.uuid('id').primary();
    t.text('scenario').notNullable();
    t.text('title').notNullable();
    t.text('mode').notNullable().checkIn(['sandbox', 'target']);
    t.text('run_by').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true }).notNullable();
    t.text('verdict').notNullable().checkIn(['passed', 'failed', 'aborted']);
    t.jsonb('report').notNullable();
    t.index(['started_at']);
    t.index(['scenario', 'started_at']);
  });
  await knex('casbin_rule').insert([
    { ptype: 'p', v0: 'it-office', v1: '*', v2: 'drill', v3: 'run' },
    ...['it-office', 'auditor', 'president-office'].map((v0) => ({ ptype: 'p', v0, v1: '*', v2: 'drill', v3: 'read' })),
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule').where({ ptype: 'p', v2: 'drill' }).delete();
  await knex.schema.dropTableIfExists('drill_reports');
}
