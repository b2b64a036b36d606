import { expect } from 'chai';
import pino from 'pino';
import request from 'supertest';
import { buildJobWorker } from '../../src/adapters/composition/jobs.js';
import type { JobWorker } from '../../src/adapters/driving/jobs/job-worker.js';
import { chinaDate } from '../../src/domain/calendar/working-calendar.js';
import { addDays } from '../../src/domain/people/role-eligibility.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { cliEnvFor, hall } from '../fixtures/hall-cli.js';
import { until } from '../fixtures/hall-process.js';
import { application } from '../e2e/lifecycle-helpers.js';

/**
 * Art. 17 on real PostgreSQL: an expired certification leaves no admin role after the daily job.
 * Today is the civil date in China when the test runs. cw-admin's certification ran out yesterday;
 * xg-admin's runs out in 7 days, jw-admin's in 30; every other admin's holds for 200 more days.
 */
describe('admin roles lapse with the training certification: the daily job and hall training (e2e, CLI)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let restoreEnv = () => {};
  const workers: JobWorker[] = [];
  const today = chinaDate(new Date());

  const certify = async (personId: string, expiresOn: string) => {
    await t.db.knex('certifications').where({ person_id: personId }).delete();
    await t.db.knex('certifications').insert({
      id: globalThis.crypto.randomUUID(),
      person_id: personId,
      course: '网上办事大厅服务事项管理员培训',
      passed_on: addDays(expiresOn, -365),
      expires_on: expiresOn,
      recorded_by: 'T0002',
      recorded_at: new Date(),
    });
  };

  before(async () => {
    t = await createTestApp();
    restoreEnv = cliEnvFor(t);
    await t.db.knex('certifications').update({ expires_on: addDays(today, 200) });
    await certify('T0301', addDays(today, -1));
    await certify('T0201', addDays(today, 7));
    await certify('T0101', addDays(today, 30));
  });
  after(async () => {
    for (const w of workers) await w.stop();
    restoreEnv();
    await t.close();
  });

  const notices = async (kind: string) =>
    (
      (await t.db.knex('notifications').where({ kind }).orderBy('recipient_id').select('recipient_id')) as Array<{
        recipient_id: string;
      }>
    ).map((r) => r.recipient_id);
  const holds = async (personId: string, role: string) =>
    Boolean(await t.db.knex('casbin_rule').where({ ptype: 'g', v0: personId, v1: role }).first());

  let token: string;

  it('hall training expiring --days 30 lists who holds an admin role running out within 30 days, or run out', async () => {
    const { stdout, error } = await hall(
      'training',
      'expiring',
      '--days',
      '30',
      '--format',
      'json',
      '--operator',
      'T0002',
    );
    expect(error, String(error?.message)).to.equal(undefined);
    const listed = JSON.parse(stdout) as {
      today: string;
      items: Array<{ personId: string; role: string; unit: string; expiresOn: string; daysLeft: number }>;
    };
    expect(listed.today).to.equal(today);
    expect(listed.items.map((r) => [r.personId, r.role, r.unit, r.expiresOn, r.daysLeft])).to.deep.equal([
      ['T0301', 'unit-service-admin', 'finance', addDays(today, -1), -1],
      ['T0201', 'unit-service-admin', 'student-affairs', addDays(today, 7), 7],
      ['T0101', 'unit-service-admin', 'academic-affairs', addDays(today, 30), 30],
    ]);
    // the same list for the IT Office over the API
    const api = await request(t.app)
      .get('/api/v1/certifications/expiring?days=30')
      .set('Authorization', `Bearer ${await t.login('it-officer')}`);
    expect(api.status).to.equal(200);
    expect(api.body).to.deep.equal(listed);
    const text = await hall('training', 'expiring', '--days', '7', '--operator', 'T0002');
    expect(
      text.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).to.deep.equal(['T0301', 'T0201']);
    const refused = await hall('training', 'expiring', '--operator', 'T0301');
    expect(refused.error?.oclif?.exit).to.equal(2);
  });

  it('before the job, cw-admin acts as the service admin of finance with their session', async () => {
    token = await t.login('cw-admin');
    const created = await request(t.app)
      .post('/api/v1/service-items')
      .set('Authorization', `Bearer ${token}`)
      .send({ ...application, code: 'CW-ARTA' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
  });

  it('after the daily job (two workers asking), the expired admin holds no admin role, audited with why; the others keep theirs', async () => {
    const start = async () => {
      const w = buildJobWorker(
        t.container,
        {
          connectionString: t.db.url,
          maintenanceSeconds: 5,
          pollingSeconds: 0.5,
          certificationExpiry: { askEveryMs: 200, askAnyTime: true },
        },
        pino({ level: 'silent' }),
      );
      workers.push(w);
      await w.start();
    };
    await start();
    await start();
    await until('the certification-expiry job done', async () =>
      Boolean(await t.db.knex('pgboss.job').where({ name: 'certification-expiry', state: 'completed' }).first()),
    );
    expect(await holds('T0301', 'unit-service-admin')).to.equal(false);
    for (const id of ['T0101', 'T0201', 'T0010', 'T0401'])
      expect(await holds(id, 'unit-service-admin'), id).to.equal(true);
    expect(await holds('T0002', 'it-office')).to.equal(true);

    const audit = (await t.db.knex('audit_log').where({ action: 'role.revoked' })) as Array<{
      actor_id: string;
      entity_id: string;
      before: unknown;
      after: { reason: string; notified: string[] };
    }>;
    expect(audit.map((e) => [e.actor_id, e.entity_id, e.before, e.after.reason])).to.deep.equal([
      [
        'system',
        'T0301',
        { subject: 'T0301', role: 'unit-service-admin', unit: 'finance' },
        'certification expired (Art. 17)',
      ],
    ]);
    const event = await t.db.knex('outbox').where({ topic: 'role.revoked' }).first();
    expect(event.payload).to.deep.include({ subject: 'T0301', reason: 'certification expired (Art. 17)' });

    // the person and the IT Office are told: of the revocation, and 30 and 7 days before
    expect(await notices('certification.lapsed')).to.deep.equal(['T0002', 'T0301']);
    expect(await notices('certification.expiring')).to.deep.equal(['T0002', 'T0002', 'T0101', 'T0201']);
  });

  it('their session no longer carries the admin role: an admin action is refused, the rest still works', async () => {
    const me = await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(me.status).to.equal(200);
    expect(me.body.roles).to.deep.equal([]);
    const refused = await request(t.app)
      .post('/api/v1/service-items')
      .set('Authorization', `Bearer ${token}`)
      .send({ ...application, code: 'CW-ARTB' });
    expect(refused.status).to.equal(403);
  });

  it('the workers keep asking, yet the day has one job; a rerun on demand revokes nothing more and tells nobody twice', async () => {
    const before = Number((await t.db.knex('notifications').count({ n: '*' }).first())!.n);
    await new Promise((r) => setTimeout(r, 1500));
    const jobs = await t.db.knex('pgboss.job').where({ name: 'certification-expiry' });
    expect(jobs.map((j: { singleton_key: string }) => j.singleton_key)).to.deep.equal([today]);

    const { stdout, error } = await hall('training', 'expire-now', '--operator', 'T0002', '--json');
    expect(error, String(error?.message)).to.equal(undefined);
    expect(JSON.parse(stdout)).to.deep.equal({ today, revoked: [], noticed: [] });
    expect(Number((await t.db.knex('notifications').count({ n: '*' }).first())!.n)).to.equal(before);
    expect((await t.db.knex('audit_log').where({ action: 'role.revoked' })).length).to.equal(1);
    const refused = await hall('training', 'expire-now', '--operator', 'T0101');
    expect(refused.error?.oclif?.exit).to.equal(2);

    // the list no longer names cw-admin: they hold no admin role
    const listed = await hall('training', 'expiring', '--days', '30', '--json', '--operator', 'T0002');
    expect(
      (JSON.parse(listed.stdout) as { items: Array<{ personId: string }> }).items.map((r) => r.personId),
    ).to.deep.equal(['T0201', 'T0101']);
  });
});
