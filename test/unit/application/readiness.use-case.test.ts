import { expect } from 'chai';
import { ReadinessUseCase } from '../../../src/application/operations/readiness.use-case.js';
import type { SchemaMigrations } from '../../../src/application/ports/schema-migrations.port.js';
import { value } from '../../fixtures/result.js';

/** A schema with some migrations waiting, or a database that cannot be reached. */
class FakeSchema implements SchemaMigrations {
  constructor(private readonly waiting: string[] | Error) {}
  async applied() {
    return ['20261126000000_core'];
  }
  async pending() {
    if (this.waiting instanceof Error) throw this.waiting;
    return this.waiting;
  }
  async migrate(): Promise<never> {
    throw new Error('readiness never migrates');
  }
}

describe('ReadinessUseCase (fake schema)', () => {
  it('ready when every migration has run', async () => {
    expect(value(await new ReadinessUseCase({ schema: new FakeSchema([]) }).execute())).to.deep.equal({ ready: true });
  });

  it('not ready while migrations are pending, naming them', async () => {
    const r = value(
      await new ReadinessUseCase({ schema: new FakeSchema(['20270101000000_a', '20270102000000_b']) }).execute(),
    );
    expect(r).to.deep.equal({ ready: false, reason: 'pending migrations: 20270101000000_a, 20270102000000_b' });
  });

  it('not ready, not failing, when the database cannot be reached', async () => {
    const r = value(
      await new ReadinessUseCase({ schema: new FakeSchema(new Error('connect ECONNREFUSED')) }).execute(),
    );
    expect(r).to.deep.equal({ ready: false, reason: 'database unreachable' });
  });
});
