import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';
import { pendingMigrations } from '../../src/adapters/driven/knex/migration-source.js';

describe('migrations (real PostgreSQL)', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  it('leave nothing pending and record names without their extension', async () => {
    expect(await pendingMigrations(db.knex)).to.deep.equal([]);
    const names = (await db.knex('knex_migrations').select('name')).map((r: { name: string }) => r.name);
    expect(names).to.include('20261126000000_core');
    expect(names.every((n: string) => !/\.(ts|js)$/.test(n))).to.equal(true);
  });

  it('allow at most one online version per service item', async () => {
    await db.knex('units').insert({ key: 'u', code: 'U', name: 'U', kind: 'office' });
    const now = new Date();
    const item = {
      id: '00000000-0000-4000-8000-000000000001',
      code: 'U-X',
      name: 'x',
      owning_unit: 'u',
      involved_units: ['u'],
      description: 'd',
      offline_procedure: 'o',
      state: 'online',
      created_by: 'p',
      created_at: now,
      updated_at: now,
    };
    await db.knex('service_items').insert(item);
    const v = (n: number) => ({
      id: `00000000-0000-4000-8000-00000000001${n}`,
      item_id: item.id,
      number: n,
      state: 'online',
      created_by: 'p',
      created_at: now,
      updated_at: now,
    });
    await db.knex('service_versions').insert(v(1));
    let error: unknown;
    try {
      await db.knex('service_versions').insert(v(2));
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).to.equal('23505');
  });
});
