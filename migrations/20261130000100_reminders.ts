import type { Knex } from 'knex';
import PgBoss from 'pg-boss';

// frozen with this migration; the job adapter names the same schema and queues
const JOB_SCHEMA = 'pgboss';
const QUEUES = ['task-reminder', 'notification-email'];

/**
 * Due dates on tasks, the notifications people receive (portal messages, and e-mail when SMTP is
 * configured), and the pg-boss job tables the reminder timers live in — created here so a timer can
 * be enqueued in the same transaction as the action that sets it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.timestamp('due_at', { useTz: true });
  });
  await knex.raw(`CREATE INDEX tasks_open_due ON tasks (due_at) WHERE status = 'open' AND due_at IS NOT NULL`);

  await knex.schema.createTable('notifications', (t) => {
    t.uuid('id').primary();
    t.text('recipient_id').notNullable().references('people.id');
    /** reminder.before-due, reminder.due, reminder.overdue-escalation, urge */
    t.text('kind').notNullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    t.uuid('application_id').references('applications.id');
    t.uuid('task_id');
    /** One notification per recipient and cause, whatever the retries. */
    t.text('dedupe_key').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('read_at', { useTz: true });
    /** null: no e-mail channel; pending, sent, failed, no-address */
    t.text('email_status');
    t.timestamp('emailed_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX notifications_by_recipient ON notifications (recipient_id, created_at DESC)');

  const exists = await knex.raw(`SELECT 1 FROM information_schema.schemata WHERE schema_name = ?`, [JOB_SCHEMA]);
  // pg-boss's own plan, less its BEGIN/COMMIT: the migration's transaction holds it
  if (!exists.rows.length)
    await knex.raw(
      PgBoss.getConstructionPlans(JOB_SCHEMA)
        .replace(/^\s*BEGIN;/, '')
        .replace(/COMMIT;\s*$/, ''),
    );
  for (const name of QUEUES) {
    await knex.raw(`SELECT ${JOB_SCHEMA}.create_queue(?, ?::json)`, [
      name,
      JSON.stringify({
        policy: 'standard',
        retryLimit: 10,
        retryDelay: 5,
        retryBackoff: true,
        expireInSeconds: 60,
        retentionMinutes: 14 * 24 * 60,
      }),
    ]);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP SCHEMA IF EXISTS ${JOB_SCHEMA} CASCADE`);
  await knex.schema.dropTableIfExists('notifications');
  await knex.raw('DROP INDEX IF EXISTS tasks_open_due');
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('due_at');
  });
}
