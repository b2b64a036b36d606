import type { Knex } from 'knex';

/** Roles the hall's rules know of. Unit roles are held in a unit (the Casbin domain); global ones in '*'. */
const ROLES: Array<[key: string, name: string, scope: 'global' | 'unit']> = [
  ['president-office', '校长办公室', 'global'],
  ['it-office', '信息化管理办公室', 'global'],
  ['auditor', '审计员', 'global'],
  ['unit-service-admin', '服务事项管理员', 'unit'],
  ['handler', '办理人员', 'unit'],
  ['department-head', '部门负责人', 'unit'],
  ['counselor', '辅导员', 'unit'],
  ['college-deputy-secretary', '学院分管学生工作副书记', 'unit'],
  ['college-secretary', '学院教学秘书', 'unit'],
];

/** Permissions per role (a few dozen rules; people are attached with g assignments). */
const POLICIES: Array<[role: string, object: string, action: string]> = [
  ...['apply', 'define', 'confirm', 'launch', 'request-change', 'request-offboarding', 'read'].map(
    (a) => ['unit-service-admin', 'service-item', a] as [string, string, string],
  ),
  ['president-office', 'service-item', 'decide'],
  ['president-office', 'service-item', 'read'],
  ['it-office', 'service-item', 'decide'],
  ['it-office', 'service-item', 'read'],
  ['it-office', 'service-item', 'launch'],
  ['auditor', 'service-item', 'read'],
  ['auditor', 'audit', 'read'],
  ['it-office', 'audit', 'read'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('units', (t) => {
    t.text('key').primary();
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.text('name_en');
    t.text('kind').notNullable().checkIn(['office', 'center', 'college']);
  });

  await knex.schema.createTable('roles', (t) => {
    t.text('key').primary();
    t.text('name').notNullable();
    t.text('scope').notNullable().checkIn(['global', 'unit']);
  });
  await knex('roles').insert(ROLES.map(([key, name, scope]) => ({ key, name, scope })));

  await knex.schema.createTable('people', (t) => {
    t.text('id').primary(); // staff or student number
    t.text('name').notNullable();
    t.text('type').notNullable().checkIn(['staff', 'student']);
    t.text('unit_key').notNullable().references('units.key');
    t.text('status').notNullable().checkIn(['active', 'left', 'retired', 'suspended']);
    t.text('email');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('local_accounts', (t) => {
    t.text('username').primary();
    t.text('person_id').notNullable().unique().references('people.id');
    t.text('password_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('sessions', (t) => {
    t.uuid('id').primary();
    t.text('person_id').notNullable().references('people.id');
    t.text('provider').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.index(['person_id']);
  });

  await knex.schema.createTable('casbin_rule', (t) => {
    t.increments('id');
    t.text('ptype').notNullable();
    for (const c of ['v0', 'v1', 'v2', 'v3', 'v4', 'v5']) t.text(c).notNullable().defaultTo('');
    t.unique(['ptype', 'v0', 'v1', 'v2', 'v3', 'v4', 'v5']);
  });
  await knex('casbin_rule').insert(
    POLICIES.map(([role, obj, act]) => ({ ptype: 'p', v0: role, v1: '*', v2: obj, v3: act })),
  );

  await knex.schema.createTable('service_items', (t) => {
    t.uuid('id').primary();
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.text('owning_unit').notNullable().references('units.key');
    t.specificType('involved_units', 'text[]').notNullable();
    t.text('description').notNullable();
    t.text('offline_procedure').notNullable();
    t.text('state').notNullable();
    t.jsonb('approvals').notNullable().defaultTo('[]');
    t.jsonb('rejection');
    t.text('offboarding_reason');
    t.uuid('online_version_id');
    t.integer('lock_version').notNullable().defaultTo(1);
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['state']);
    t.index(['owning_unit']);
  });

  await knex.schema.createTable('service_versions', (t) => {
    t.uuid('id').primary();
    t.uuid('item_id').notNullable().references('service_items.id');
    t.integer('number').notNullable();
    t.text('state').notNullable().checkIn(['draft', 'online', 'superseded', 'retired']);
    t.jsonb('definition');
    t.jsonb('confirmations').notNullable().defaultTo('[]');
    t.text('change_reason');
    t.integer('lock_version').notNullable().defaultTo(1);
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('launched_at', { useTz: true });
    t.unique(['item_id', 'number']);
  });
  // at most one online and one draft version per item, whatever the races
  await knex.raw(
    `CREATE UNIQUE INDEX service_versions_one_online ON service_versions (item_id) WHERE state = 'online'`,
  );
  await knex.raw(`CREATE UNIQUE INDEX service_versions_one_draft ON service_versions (item_id) WHERE state = 'draft'`);

  // Designed for tamper evidence: seq orders the chain, prev_hash/hash are filled when chaining is enabled.
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('seq');
    t.uuid('id').notNullable().unique();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.text('actor_id').notNullable();
    t.text('action').notNullable();
    t.text('entity_type').notNullable();
    t.text('entity_id').notNullable();
    t.text('unit_key');
    t.jsonb('before');
    t.jsonb('after');
    t.text('request_id');
    t.text('prev_hash');
    t.text('hash');
    t.index(['entity_type', 'entity_id']);
    t.index(['actor_id']);
  });

  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('seq');
    t.uuid('id').notNullable().unique();
    t.text('topic').notNullable();
    t.text('aggregate_type').notNullable();
    t.text('aggregate_id').notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.timestamp('published_at', { useTz: true });
    t.integer('attempts').notNullable().defaultTo(0);
  });
  await knex.raw(`CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'outbox',
    'audit_log',
    'service_versions',
    'service_items',
    'casbin_rule',
    'sessions',
    'local_accounts',
    'people',
    'roles',
    'units',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
