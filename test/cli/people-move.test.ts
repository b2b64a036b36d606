import { expect } from 'chai';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PostChangeReport } from '../../src/application/people/change-post.use-case.js';
import type { SyncReport } from '../../src/application/people/sync-people.use-case.js';
import { cliEnvFor, exitOf, hall } from '../fixtures/hall-cli.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { financeHandlerWithWork, liveWorkOf } from '../e2e/post-change-helpers.js';

/**
 * 异动/调离 (Art. 6) from the CLI: `hall people move` by the IT Office, and `hall people sync` when
 * the directory changes someone's unit. Either way no role and no task is left with the person in
 * the old unit; the rest stays, and a second run changes nothing.
 */
describe('hall people move and people sync move a person between units (in process)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let moved: Awaited<ReturnType<typeof financeHandlerWithWork>>;
  let synced: Awaited<ReturnType<typeof financeHandlerWithWork>>;
  const directoryFile = path.join(tmpdir(), `hall-directory-move-${process.pid}.csv`);
  let restoreEnv = () => {};
  before(async () => {
    t = await createTestApp();
    moved = await financeHandlerWithWork(t, { id: 'T0976', username: 'mover-cli', code: 'CW-MOVE1' });
    synced = await financeHandlerWithWork(t, { id: 'T0977', username: 'mover-sync', code: 'CW-MOVE2' });
    restoreEnv = cliEnvFor(t, { DIRECTORY_FILE: directoryFile });
  });
  after(async () => {
    restoreEnv();
    await t?.close();
    await rm(directoryFile, { force: true });
  });

  const roles = async (subject: string) =>
    (await t.db.knex('casbin_rule').where({ ptype: 'g', v0: subject }).select('v1', 'v2'))
      .map((r) => `${r.v1}@${r.v2}`)
      .sort();
  const unitOf = async (id: string) => (await t.db.knex('people').where({ id }).first()).unit_key as string;
  const audits = (id: string) => t.db.knex('audit_log').where({ action: 'person.post-changed', entity_id: id });
  const toldOf = async (id: string) =>
    (await t.db.knex('notifications').where({ kind: 'person.post-changed' }).whereLike('body', `%(${id})%`))
      .map((n) => n.recipient_id as string)
      .sort();

  it('people move refuses a successor who cannot take the work, and anyone but the IT Office, changing nothing', async () => {
    const before = { roles: await roles('T0976'), work: await liveWorkOf(t, 'T0976') };
    expect(before.roles).to.deep.equal(['handler@academic-affairs', 'handler@finance']);
    const bad = await hall(
      'people',
      'move',
      'T0976',
      '--operator',
      'T0002',
      '--unit',
      'logistics',
      '--successor',
      'T0602',
      '--reason',
      '调岗',
    );
    expect([exitOf(bad.error), bad.error?.message]).to.satisfy(
      ([exit, message]: [number, string]) => exit === 2 && message.includes('PERSON.BAD_SUCCESSOR'),
    );
    const notIt = await hall(
      'people',
      'move',
      'T0976',
      '--operator',
      'T0301',
      '--unit',
      'logistics',
      '--reason',
      '调岗',
    );
    expect(exitOf(notIt.error)).to.equal(2);
    const noReason = await hall('people', 'move', 'T0976', '--operator', 'T0002', '--unit', 'logistics');
    expect(noReason.error?.message).to.match(/Missing required flag.*reason/s);
    expect({
      unit: await unitOf('T0976'),
      roles: await roles('T0976'),
      work: await liveWorkOf(t, 'T0976'),
    }).to.deep.equal({ unit: 'finance', ...before });
    expect(await audits('T0976')).to.have.length(0);
  });

  it('people move leaves no role and no task in the old unit, hands the work to the successor, audited in the operator’s name; a second run changes nothing', async () => {
    await t.container.ports.sessions.open({ personId: 'T0976', provider: 'local', at: new Date() });
    const liveSessions = async () =>
      Number(
        (await t.db.knex('sessions').where({ person_id: 'T0976' }).whereNull('revoked_at').count({ n: '*' }))[0]!.n,
      );
    const open = await liveSessions();
    expect(open).to.be.greaterThan(0);
    const run = () =>
      hall(
        'people',
        'move',
        'T0976',
        '--operator',
        'T0002',
        '--unit',
        'logistics',
        '--successor',
        'T0302',
        '--reason',
        '调岗至后勤',
        '--json',
      );
    const { stdout, error } = await run();
    expect(error, String(error?.message)).to.equal(undefined);
    const report = JSON.parse(stdout) as PostChangeReport;
    expect([report.from, report.to, report.sessionsEnded, report.notified]).to.deep.equal([
      'finance',
      'logistics',
      open,
      ['T0301', 'T0601'],
    ]);
    expect(report.rolesRevoked).to.deep.equal([{ subject: 'T0976', role: 'handler', unit: 'finance' }]);
    expect(report.tasks.map((x) => [x.applicationId, x.to]).sort()).to.deep.equal(
      moved.finance.map((id) => [id, 'T0302']).sort(),
    );
    expect(await unitOf('T0976')).to.equal('logistics');
    expect(await roles('T0976')).to.deep.equal(['handler@academic-affairs']);
    expect(await liveWorkOf(t, 'T0976')).to.deep.equal([[moved.elsewhere, 'academic-affairs']]);
    expect(await liveSessions(), 'their session ended').to.equal(0);
    expect(await toldOf('T0976')).to.deep.equal(['T0301', 'T0601']);
    expect((await audits('T0976')).map((a) => a.actor_id)).to.deep.equal(['T0002']);

    const second = await run();
    expect(second.error, String(second.error?.message)).to.equal(undefined);
    const again = JSON.parse(second.stdout) as PostChangeReport;
    expect([again.from, again.rolesRevoked, again.tasks]).to.deep.equal(['logistics', [], []]);
    expect(await audits('T0976')).to.have.length(1);
    const text = await hall(
      'people',
      'move',
      'T0976',
      '--operator',
      'T0002',
      '--unit',
      'logistics',
      '--reason',
      '调岗',
    );
    expect(text.stdout).to.contain('T0976 is already in logistics: nothing moved');
  });

  it('people sync applies a unit change from the directory: no role and no task left in the old unit, the rest stays; a second sync changes nothing', async () => {
    await writeFile(
      directoryFile,
      [
        'id,name,type,unit,status,email',
        'T0977,调岗人员,staff,logistics,active,',
        'T0302,孙财务,staff,finance,active,',
      ].join('\n'),
    );
    const first = await hall('people', 'sync', '--operator', 'T0002', '--json');
    expect(first.error, String(first.error?.message)).to.equal(undefined);
    const report = JSON.parse(first.stdout) as SyncReport;
    expect(report.updated).to.deep.include({ id: 'T0977', fields: ['unit'] });
    expect(report.offboarded).to.deep.equal([]);
    expect(report.moved.map((m) => [m.personId, m.from, m.to, m.rolesRevoked.length, m.tasks.length])).to.deep.equal([
      ['T0977', 'finance', 'logistics', 1, 2],
    ]);
    expect(report.moved[0]!.tasks.map((x) => x.to).sort()).to.deep.equal([
      'handler@finance',
      'unit-service-admin@finance',
    ]);
    expect(await unitOf('T0977')).to.equal('logistics');
    expect(await roles('T0977')).to.deep.equal(['handler@academic-affairs']);
    expect(await liveWorkOf(t, 'T0977')).to.deep.equal([[synced.elsewhere, 'academic-affairs']]);
    expect(await toldOf('T0977')).to.deep.equal(['T0301', 'T0601']);
    expect(await audits('T0977')).to.have.length(1);

    const text = await hall('people', 'sync', '--operator', 'T0002');
    expect(text.stdout).to.contain('moved 0');
    expect(await audits('T0977')).to.have.length(1);
    expect(await roles('T0977')).to.deep.equal(['handler@academic-affairs']);
  });
});
