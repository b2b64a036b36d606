import type { Knex } from 'knex';
import type PgBoss from 'pg-boss';

/** The job schema and queues (created by migrations 20261130000100_reminders and 20261202000000_connector_calls_as_jobs). */
export const JOB_SCHEMA = 'pgboss';
export const QUEUES = {
  reminder: 'task-reminder',
  email: 'notification-email',
  connector: 'connector-call',
  /** Created by migration 20261205000000_audit_merkle_log. */
  auditCheckpoint: 'audit-checkpoint',
  /** Created by migration 20261209000100_certification_expiry. */
  certificationExpiry: 'certification-expiry',
} as const;

/**
 * pg-boss's statements run on a knex connection or transaction: pg-boss writes `$n` parameters,
 * knex `?` ones. This is how a job is enqueued, cancelled or completed inside the transaction of
 * the change that causes it.
 */
export function bossDb(db: Knex | Knex.Transaction): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const bindings: unknown[] = [];
      const sql = text.replace(/\?/g, '\\?').replace(/\$(\d+)/g, (_, n: string) => {
        bindings.push(values[Number(n) - 1] ?? null);
        return '?';
      });
      return (await db.raw(sql, bindings as Knex.RawBinding[])) as { rows: unknown[] };
    },
  };
}
