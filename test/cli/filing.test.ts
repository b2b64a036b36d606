import { expect } from 'chai';
import type { RoleFilingView } from '../../src/application/permissions/role-filings.use-case.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { cliEnvFor, exitOf, hall } from '../fixtures/hall-cli.js';
import { as } from '../e2e/lifecycle-helpers.js';

/** `hall filing list|show|accept|refuse`: the IT Office's side of filings (备案) from the CLI. */
describe('hall filing (in process)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let restoreEnv = () => {};
  const filings: string[] = [];

  before(async () => {
    t = await createTestApp();
    restoreEnv = cliEnvFor(t);
    for (const id of ['T0920', 'T0921']) {
      await t.db.knex('people').insert({ id, name: '新人', type: 'staff', unit_key: 'finance', status: 'active' });
      const r = await as(t, 'cw-admin').post('/api/v1/role-filings', {
        subject: id,
        role: 'handler',
        unit: 'finance',
        reason: `${id} 入职`,
      });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      filings.push(r.body.id as string);
    }
  });
  after(async () => {
    restoreEnv();
    await t?.close();
  });

  const roles = (subject: string) => t.db.knex('casbin_rule').where({ ptype: 'g', v0: subject });

  it('lists the pending filings, newest first', async () => {
    const { stdout, error } = await hall('filing', 'list', '--operator', 'T0002', '--json');
    expect(error, String(error?.message)).to.equal(undefined);
    expect((JSON.parse(stdout) as { items: RoleFilingView[] }).items.map((f) => [f.id, f.subject])).to.deep.equal([
      [filings[1], 'T0921'],
      [filings[0], 'T0920'],
    ]);
    expect((await hall('filing', 'show', filings[0]!, '--operator', 'T0002')).stdout).to.include('T0920 入职');
  });

  it('accept grants from the filing, refuse grants nothing; only the IT Office decides', async () => {
    expect(exitOf((await hall('filing', 'accept', filings[0]!, '--operator', 'T0301')).error)).to.equal(2);
    expect(await roles('T0920')).to.have.length(0);
    const accepted = await hall('filing', 'accept', filings[0]!, '--operator', 'T0002', '--json');
    expect(accepted.error, String(accepted.error?.message)).to.equal(undefined);
    expect(JSON.parse(accepted.stdout).state).to.equal('accepted');
    expect((await roles('T0920')).map((r) => [r.v1, r.v2])).to.deep.equal([['handler', 'finance']]);
    expect((await t.db.knex('role_grants').where({ subject: 'T0920' }).first()).filing_id).to.equal(filings[0]);

    const refused = await hall(
      'filing',
      'refuse',
      filings[1]!,
      '--reason',
      '暂不设岗',
      '--operator',
      'T0002',
      '--json',
    );
    expect(refused.error, String(refused.error?.message)).to.equal(undefined);
    expect(JSON.parse(refused.stdout).state).to.equal('refused');
    expect(await roles('T0921')).to.have.length(0);
    expect(
      (await t.db.knex('audit_log').where({ entity_type: 'role-filing' }).orderBy('pos')).map((e) => [
        e.action,
        e.actor_id,
      ]),
    ).to.deep.equal([
      ['role-filing.filed', 'T0301'],
      ['role-filing.filed', 'T0301'],
      ['role-filing.accepted', 'T0002'],
      ['role-filing.refused', 'T0002'],
    ]);
  });
});
