import type { Knex } from 'knex';

/** Applications (办件), their tasks, case-number counters and idempotency records. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('applications', (t) => {
    t.uuid('id').primary();
    t.text('case_number').unique();
    t.uuid('item_id').notNullable().references('service_items.id');
    t.uuid('version_id').notNullable().references('service_versions.id');
    t.text('owning_unit').notNullable().references('units.key');
    t.text('applicant_id').notNullable().references('people.id');
    t.jsonb('applicant').notNullable();
    t.jsonb('form').notNullable();
    t.text('state').notNullable();
    t.text('active_node');
    t.jsonb('activations').notNullable().defaultTo('{}');
    t.jsonb('passed_nodes').notNullable().defaultTo('[]');
    t.jsonb('history').notNullable().defaultTo('[]');
    t.jsonb('copied_to').notNullable().defaultTo('[]');
    t.integer('lock_version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['applicant_id', 'created_at']);
    t.index(['item_id', 'state']);
  });

  // Tasks belong to the application aggregate; this table is also the inbox's index.
  await knex.schema.createTable('tasks', (t) => {
    t.uuid('id').primary();
    t.uuid('application_id').notNullable().references('applications.id');
    t.text('node_key').notNullable();
    t.integer('activation').notNullable();
    t.text('assignee');
    t.text('candidate_role');
    t.text('candidate_unit');
    t.text('status').notNullable().checkIn(['waiting', 'open', 'done', 'cancelled']);
    t.text('outcome');
    t.integer('order').notNullable();
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.text('added_by');
    t.uuid('before_of');
    t.text('delegated_by');
    t.text('acted_by');
    t.timestamp('acted_at', { useTz: true });
    t.index(['application_id']);
  });
  await knex.raw(`CREATE INDEX tasks_open_by_assignee ON tasks (assignee, created_at) WHERE status = 'open'`);
  await knex.raw(
    `CREATE INDEX tasks_open_by_pool ON tasks (candidate_unit, candidate_role, created_at) WHERE status = 'open' AND assignee IS NULL`,
  );

  await knex.schema.createTable('case_number_counters', (t) => {
    t.integer('year').notNullable();
    t.text('unit_code').notNullable();
    t.integer('last').notNullable();
    t.primary(['year', 'unit_code']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('actor_id').notNullable();
    t.text('key').notNullable();
    t.text('operation').notNullable();
    t.text('request_hash').notNullable();
    t.integer('status').notNullable();
    t.jsonb('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['actor_id', 'key']);
  });

  // who may read applications beyond their applicant and handlers
  await knex('casbin_rule').insert(
    ['unit-service-admin', 'it-office', 'president-office', 'auditor'].map((role) => ({
      ptype: 'p',
      v0: role,
      v1: '*',
      v2: 'application',
      v3: 'read',
    })),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule').where({ ptype: 'p', v2: 'application' }).delete();
  for (const t of ['idempotency_keys', 'case_number_counters', 'tasks', 'applications'])
    await knex.schema.dropTableIfExists(t);
}
