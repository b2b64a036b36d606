import type { Knex } from 'knex';

/**
 * Indexes that keep the reads bounded by the page (or by the open backlog), never by the years of
 * applications behind them:
 * - the inbox reads one index-ordered branch per source (the person, each pool of theirs) and stops
 *   after a page; the id breaks ties so the keyset (created_at, id) is served by the index itself;
 * - supervision reads a unit's open tasks by the owning unit the task carries, and its oldest overdue
 *   one first in due order; every column it counts is in the index (index-only scans);
 * - my applications, newest first, by (applicant, created_at, id) in that order;
 * - the audit list pages on seq within its filters.
 * Each replaced index is a prefix of (or the same key as) its replacement, so nothing loses an index.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX tasks_open_by_assignee');
  await knex.raw(`CREATE INDEX tasks_open_by_assignee ON tasks (assignee, created_at, id) WHERE status = 'open'`);
  await knex.raw('DROP INDEX tasks_open_by_pool');
  await knex.raw(
    `CREATE INDEX tasks_open_by_pool ON tasks (candidate_unit, candidate_role, created_at, id) WHERE status = 'open' AND assignee IS NULL`,
  );

  // supervision's only reader of due dates: tasks_open_due is now covered by it per unit
  await knex.raw(
    `CREATE INDEX tasks_open_by_unit ON tasks (owning_unit, due_at, id) INCLUDE (assignee, candidate_role, candidate_unit) WHERE status = 'open'`,
  );
  await knex.raw('DROP INDEX tasks_open_due');
  await knex.raw(`CREATE INDEX follow_ups_open_by_unit ON follow_ups (owning_unit, due_at, id) WHERE status = 'open'`);

  await knex.raw('DROP INDEX applications_applicant_id_created_at_index');
  await knex.raw('CREATE INDEX applications_by_applicant ON applications (applicant_id, created_at DESC, id DESC)');

  await knex.raw('DROP INDEX audit_log_entity_type_entity_id_index');
  await knex.raw('CREATE INDEX audit_log_by_entity ON audit_log (entity_type, entity_id, seq)');
  await knex.raw('CREATE INDEX audit_log_by_type ON audit_log (entity_type, seq)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX audit_log_by_type');
  await knex.raw('DROP INDEX audit_log_by_entity');
  await knex.raw('CREATE INDEX audit_log_entity_type_entity_id_index ON audit_log (entity_type, entity_id)');
  await knex.raw('DROP INDEX applications_by_applicant');
  await knex.raw('CREATE INDEX applications_applicant_id_created_at_index ON applications (applicant_id, created_at)');
  await knex.raw('DROP INDEX follow_ups_open_by_unit');
  await knex.raw(`CREATE INDEX tasks_open_due ON tasks (due_at) WHERE status = 'open' AND due_at IS NOT NULL`);
  await knex.raw('DROP INDEX tasks_open_by_unit');
  await knex.raw('DROP INDEX tasks_open_by_pool');
  await knex.raw(
    `CREATE INDEX tasks_open_by_pool ON tasks (candidate_unit, candidate_role, created_at) WHERE status = 'open' AND assignee IS NULL`,
  );
  await knex.raw('DROP INDEX tasks_open_by_assignee');
  await knex.raw(`CREATE INDEX tasks_open_by_assignee ON tasks (assignee, created_at) WHERE status = 'open'`);
}
