import { expect } from 'chai';
import { SchemaMigrationsUseCase } from '../../../src/application/operations/schema-migrations.use-case.js';
import type { SchemaMigrations } from '../../../src/application/ports/schema-migrations.port.js';
import { value } from '../../fixtures/result.js';

/** Migrations as names, run in order. */
class FakeSchema implements SchemaMigrations {
  constructor(
    public ran: string[],
    private readonly shipped: string[],
  ) {}
  async applied() {
    return [...this.ran];
  }
  async pending() {
    return this.shipped.filter((m) => !this.ran.includes(m));
  }
  async migrate() {
    const todo = await this.pending();
    this.ran.push(...todo);
    return todo;
  }
}

describe('SchemaMigrationsUseCase (fake schema)', () => {
  it('status: what has run and what waits', async () => {
    const uc = new SchemaMigrationsUseCase({ schema: new FakeSchema(['a'], ['a', 'b', 'c']) });
    expect(value(await uc.status())).to.deep.equal({ applied: ['a'], pending: ['b', 'c'] });
  });

  it('migrate runs what waits, once', async () => {
    const schema = new FakeSchema(['a'], ['a', 'b']);
    const uc = new SchemaMigrationsUseCase({ schema });
    expect(value(await uc.migrate())).to.deep.equal({ applied: ['b'] });
    expect(value(await uc.migrate())).to.deep.equal({ applied: [] });
    expect(value(await uc.status())).to.deep.equal({ applied: ['a', 'b'], pending: [] });
  });
});
