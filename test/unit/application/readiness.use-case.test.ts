import { expect } from 'chai';
import { ReadinessUseCase } from '../../../src/application/operations/readiness.use-case.js';
import type { SchemaMigrations } from '../../../src/application/ports/schema-migrations.port.js';
import { value } from '../../fixtures/result.js';
import { FakeBusinessConnectors } from '../../fakes/in-memory-connector-queue.js';

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

const noPlugins = { reports: () => [] };
const connectors = new FakeBusinessConnectors();
const db = (status: 'up' | 'down') => [{ name: 'database', status }];

describe('ReadinessUseCase (fake schema)', () => {
  it('ready when every migration has run', async () => {
    expect(
      value(await new ReadinessUseCase({ schema: new FakeSchema([]), plugins: noPlugins, connectors }).execute()),
    ).to.deep.equal({ ready: true, dependencies: db('up'), plugins: [] });
  });

  it('not ready while migrations are pending, naming them', async () => {
    const r = value(
      await new ReadinessUseCase({
        schema: new FakeSchema(['20270101000000_a', '20270102000000_b']),
        plugins: noPlugins,
        connectors,
      }).execute(),
    );
    expect(r).to.deep.equal({
      ready: false,
      reason: 'pending migrations: 20270101000000_a, 20270102000000_b',
      dependencies: db('up'),
      plugins: [],
    });
  });

  it('not ready, not failing, when the database cannot be reached', async () => {
    const r = value(
      await new ReadinessUseCase({
        schema: new FakeSchema(new Error('connect ECONNREFUSED')),
        plugins: noPlugins,
        connectors,
      }).execute(),
    );
    expect(r).to.deep.equal({ ready: false, reason: 'database unreachable', dependencies: db('down'), plugins: [] });
  });

  it('reports what each plugin last said of its health; a plugin that is down does not make the hall unready', async () => {
    const plugins = { reports: () => [{ plugin: 'example-dormitory', status: 'down' as const, detail: 'timeout' }] };
    expect(
      value(await new ReadinessUseCase({ schema: new FakeSchema([]), plugins, connectors }).execute()),
    ).to.deep.equal({
      ready: true,
      dependencies: db('up'),
      plugins: [{ plugin: 'example-dormitory', status: 'down', detail: 'timeout' }],
    });
  });

  it('names each business connector and whether it is down; one that is down leaves the hall ready', async () => {
    const two = new FakeBusinessConnectors({ 'dormitory-system': () => null, 'finance-reimbursement': () => null });
    two.down.add('finance-reimbursement');
    expect(
      value(await new ReadinessUseCase({ schema: new FakeSchema([]), plugins: noPlugins, connectors: two }).execute()),
    ).to.deep.equal({
      ready: true,
      dependencies: [
        { name: 'database', status: 'up' },
        { name: 'connector:dormitory-system', status: 'up' },
        { name: 'connector:finance-reimbursement', status: 'down' },
      ],
      plugins: [],
    });
  });
});
