import type { Knex } from 'knex';

/**
 * Printouts (办事凭证) of applications: each issue is its own record under its verification code,
 * with the signed content exactly as signed. Revocation is decided when a printout is verified and
 * kept here the first time it is seen.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('printouts', (t) => {
    /** The normalised verification code (`K7Q2-9MXD-4HTR`). */
    t.text('code').primary();
    t.uuid('application_id').notNullable().references('applications.id');
    /** The signed PrintoutContent. */
    t.jsonb('content').notNullable();
    /** Ed25519 signature of the canonical bytes of content, base64url. */
    t.text('signature').notNullable();
    t.text('key_id').notNullable();
    /** The application's last history entry when issued: what comes after it may revoke the printout. */
    t.integer('history_seq').notNullable();
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.text('issued_by').notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_reason');
    t.index(['application_id']);
    t.check('(revoked_at IS NULL) = (revoked_reason IS NULL)', [], 'printouts_revocation_complete');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('printouts');
}
