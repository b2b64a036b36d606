import type { Knex } from 'knex';

/** Time-boxed delegation while absent (e.g. holidays): a substitute receives the person's new tasks. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('absences', (t) => {
    t.text('person_id').primary().references('people.id');
    t.text('substitute_id').notNullable().references('people.id');
    t.date('from_date').notNullable();
    t.date('to_date').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('absences');
}
