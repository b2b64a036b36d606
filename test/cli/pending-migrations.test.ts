import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import type { Knex } from 'knex';
import { fileURLToPath } from 'node:url';
import { seedDemoOrganisation } from '../../src/adapters/composition/demo.js';
import { migrationConfig } from '../../src/adapters/driven/knex/migration-source.js';
import { setEnv } from '../fixtures/process-env.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What a command could change: the applied migrations, the tables and their columns, the audit log and the grants. */
async function snapshot(knex: Knex) {
  const migrations = (await knex('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);
  const columns = (
    await knex.raw(`SELECT table_schema || '.' || table_name || '.' || column_name AS c FROM information_schema.columns
    WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`)
  ).rows.map((r: { c: string }) => r.c);
  const audit = Number((await knex('audit_log').count({ n: '*' }))[0]!.n);
  const grants = Number((await knex('casbin_rule').count({ n: '*' }))[0]!.n);
  return { migrations, columns, audit, grants };
}

/** The schema changes only on purpose: `hall db migrate` migrates, every other command refuses while it is behind. */
describe('hall CLI on a database with pending migrations', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let last: string;
  let restoreEnv = () => {};
  before(async () => {
    db = await createTestDatabase();
    await seedDemoOrganisation(db.knex);
    // the database as an older version of the hall left it: the newest migration not yet applied
    const [, undone] = (await db.knex.migrate.down(migrationConfig())) as [number, string[]];
    last = undone[0]!;
    restoreEnv = setEnv({
      DATABASE_URL: db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    });
  });
  after(async () => {
    restoreEnv();
    await db.drop();
  });

  const hall = (...args: string[]) => runCommand(args, { root });

  it('perm list exits 3, names the pending migration and the command to run, and changes nothing', async () => {
    const before = await snapshot(db.knex);
    expect(before.migrations).not.to.include(last);
    const listed = await hall('perm', 'list', '--operator', 'T0002');
    expect(listed.error?.oclif?.exit, String(listed.error?.message)).to.equal(3);
    expect(listed.error?.message)
      .to.contain('1 migration pending')
      .and.to.contain(last)
      .and.to.contain('hall db migrate');
    expect(listed.stdout).to.equal('');
    expect(await snapshot(db.knex)).to.deep.equal(before);
  });

  it('a writing command (perm grant) is refused the same way, before anything is done', async () => {
    const before = await snapshot(db.knex);
    const granted = await hall(
      'perm',
      'grant',
      '--operator',
      'T0002',
      '--subject',
      'T0301',
      '--role',
      'handler',
      '--unit',
      'finance',
    );
    expect(granted.error?.oclif?.exit).to.equal(3);
    expect(await snapshot(db.knex)).to.deep.equal(before);
  });

  it('db status reports what is pending without applying it', async () => {
    const status = await hall('db', 'status', '--json');
    expect(JSON.parse(status.stdout).pending).to.deep.equal([last]);
    expect((await snapshot(db.knex)).migrations).not.to.include(last);
  });

  it('hall db migrate applies it, and then perm list works', async () => {
    const migrated = await hall('db', 'migrate');
    expect(migrated.error, String(migrated.error?.message)).to.equal(undefined);
    expect(migrated.stdout).to.contain(`applied ${last}`);
    expect((await snapshot(db.knex)).migrations.at(-1)).to.equal(last);
    const listed = await hall('perm', 'list', '--operator', 'T0002', '--json');
    expect(listed.error, String(listed.error?.message)).to.equal(undefined);
    expect(JSON.parse(listed.stdout).items).to.be.an('array').that.is.not.empty;
  });
});
