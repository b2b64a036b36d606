import type { Knex } from 'knex';

/**
 * Admin roles lapse with their holder's training certification (Art. 17): a daily job of the
 * `certification-expiry` queue (name frozen with this migration) revokes the admin roles of holders
 * without a certification valid today and tells them and the IT Office 30 and 7 days before. Its
 * notices are portal messages whose dedupe keys make each one once; the job keeps no table of its own.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`SELECT pgboss.create_queue(?, ?::json)`, [
    'certification-expiry',
    JSON.stringify({
      policy: 'standard',
      retryLimit: 3,
      retryDelay: 300,
      expireInSeconds: 1800,
      retentionMinutes: 7 * 24 * 60,
    }),
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`SELECT pgboss.delete_queue(?)`, ['certification-expiry']);
}
