import type { Knex } from 'knex';

/**
 * When each application was first submitted (受理) and when it ended (办结, rejected, withdrawn,
 * cancelled), as columns: the annual evaluation counts and times applications by them without
 * reading their histories. Existing applications get them from their history.
 */
export const BACKFILL_APPLICATION_INSTANTS = `
  UPDATE applications a SET
    submitted_at = (SELECT min(h.at) FROM application_history h WHERE h.application_id = a.id AND h.action = 'submitted'),
    ended_at = CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn', 'cancelled') THEN
      (SELECT max(h.at) FROM application_history h
        WHERE h.application_id = a.id AND h.action IN ('completed', 'application-rejected', 'withdrawn', 'cancelled'))
    END
  WHERE a.submitted_at IS NULL AND a.ended_at IS NULL`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => {
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('ended_at', { useTz: true });
  });
  await knex.raw(BACKFILL_APPLICATION_INSTANTS);
  await knex.raw('CREATE INDEX applications_by_unit_submitted ON applications (owning_unit, submitted_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX applications_by_unit_submitted');
  await knex.schema.alterTable('applications', (t) => {
    t.dropColumn('submitted_at');
    t.dropColumn('ended_at');
  });
}
