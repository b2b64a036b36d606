import { expect } from 'chai';
import pino from 'pino';
import { buildContainer, disposeContainer } from '../../src/adapters/composition/container.js';
import { createTestApp, testConfig, type TestApp } from '../fixtures/test-app.js';
import { as } from './lifecycle-helpers.js';

describe('granting and revoking roles (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await t.db.knex('people').insert([
      { id: 'T0900', name: '新教师', type: 'staff', unit_key: 'finance', status: 'active' },
      { id: 'T0901', name: '已退休', type: 'staff', unit_key: 'finance', status: 'retired' },
    ]);
  });
  after(async () => {
    await t.close();
  });

  const grant = (who: string, body: unknown) => as(t, who).post('/api/v1/role-assignments', body);

  it('only the IT Office grants', async () => {
    expect((await grant('cw-admin', { subject: 'T0900', role: 'handler', unit: 'finance' })).status).to.equal(403);
  });

  it('refuses a student, a retired person, and an admin role without a current certification, saying why', async () => {
    const student = await grant('it-officer', { subject: '2024110101', role: 'handler', unit: 'finance' });
    expect(student.status).to.equal(400);
    expect(student.body.code).to.equal('ROLE.NOT_ELIGIBLE');
    expect(student.body.errors[0].message).to.contain('not staff');
    const retired = await grant('it-officer', { subject: 'T0901', role: 'handler', unit: 'finance' });
    expect(retired.body.errors[0].message).to.contain('retired');
    const untrained = await grant('it-officer', { subject: 'T0900', role: 'unit-service-admin', unit: 'finance' });
    expect(untrained.status).to.equal(400);
    expect(untrained.body.errors[0].message).to.contain('Art. 17');
    expect(
      await t.db
        .knex('casbin_rule')
        .where({ ptype: 'g', v0: 'T0900' })
        .count({ n: '*' })
        .then((r) => Number(r[0]!.n)),
    ).to.equal(0);
  });

  it('refuses unknown roles and a university-wide role given for one unit', async () => {
    expect(
      (await grant('it-officer', { subject: 'T0900', role: 'dean', unit: 'finance' })).body.errors[0].path,
    ).to.equal('/role');
    expect(
      (await grant('it-officer', { subject: 'T0900', role: 'auditor', unit: 'finance' })).body.errors[0].path,
    ).to.equal('/unit');
  });

  it('after a certification is recorded the admin role is granted and takes effect at once; revoking takes it away', async () => {
    expect(
      (
        await as(t, 'it-officer').post('/api/v1/people/T0900/certifications', {
          course: '服务事项管理员培训',
          passedOn: '2026-10-01',
          expiresOn: '2027-09-30',
        })
      ).status,
    ).to.equal(201);
    const ok = await grant('it-officer', { subject: 'T0900', role: 'unit-service-admin', unit: 'finance' });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect(
      (await grant('it-officer', { subject: 'T0900', role: 'unit-service-admin', unit: 'finance' })).status,
    ).to.equal(409);
    const enforcer = t.container.ports.enforcer;
    expect(
      await enforcer.can({ subject: 'T0900', unit: 'finance', object: 'service-item', action: 'define' }),
    ).to.equal(true);
    const listed = await as(t, 'it-officer').get('/api/v1/role-assignments?subject=T0900');
    expect(listed.body.items).to.deep.equal([
      { subject: 'T0900', role: 'unit-service-admin', unit: 'finance', filingId: null },
    ]);
    expect(
      (
        await as(t, 'it-officer').post('/api/v1/role-assignments/revocations', {
          subject: 'T0900',
          role: 'unit-service-admin',
          unit: 'finance',
        })
      ).status,
    ).to.equal(200);
    expect(
      await enforcer.can({ subject: 'T0900', unit: 'finance', object: 'service-item', action: 'define' }),
    ).to.equal(false);
    expect(
      (
        await as(t, 'it-officer').post('/api/v1/role-assignments/revocations', {
          subject: 'T0900',
          role: 'unit-service-admin',
          unit: 'finance',
        })
      ).status,
    ).to.equal(404);
    const trail = await as(t, 'auditor').get('/api/v1/audit-entries?entityType=person&entityId=T0900');
    // newest first
    expect(trail.body.items.map((e: { action: string }) => e.action)).to.deep.equal([
      'role.revoked',
      'role.granted',
      'certification.recorded',
    ]);
  });

  it('a person granted then revoked a handler role has it, then not, at once (as /me reports)', async () => {
    await grant('it-officer', { subject: 'T0900', role: 'handler', unit: 'finance' });
    await t.db.knex('local_accounts').insert({
      username: 'new-teacher',
      person_id: 'T0900',
      password_hash: (await t.db.knex('local_accounts').where({ username: 'cw-handler' }).first()).password_hash,
    });
    expect((await as(t, 'new-teacher').get('/api/v1/me')).body.roles).to.deep.equal([
      { role: 'handler', unit: 'finance' },
    ]);
    await as(t, 'it-officer').post('/api/v1/role-assignments/revocations', {
      subject: 'T0900',
      role: 'handler',
      unit: 'finance',
    });
    expect((await as(t, 'new-teacher').get('/api/v1/me')).body.roles).to.deep.equal([]);
  });
});

describe('policy changes reach every instance (e2e, two containers on one database)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('revoking a role on instance A denies on instance B within 5 s', async () => {
    const b = await buildContainer(testConfig(t.db.url), undefined, pino({ level: 'silent' }));
    try {
      const onB = b.ports.enforcer;
      const request = { subject: 'T0301', unit: 'finance', object: 'service-item', action: 'define' };
      expect(await onB.can(request)).to.equal(true);
      const permissionsOnA = t.container.useCases.permissions;
      const revoked = await permissionsOnA.revoke({
        actor: { personId: 'T0002', requestId: 'test' },
        subject: 'T0301',
        role: 'unit-service-admin',
        unit: 'finance',
      });
      expect(revoked.ok).to.equal(true);
      const started = Date.now();
      while (await onB.can(request)) {
        if (Date.now() - started > 5000) throw new Error('instance B still allows after 5 s');
        await new Promise((r) => setTimeout(r, 10));
      }
      const granted = await permissionsOnA.grant({
        actor: { personId: 'T0002', requestId: 'test' },
        subject: 'T0301',
        role: 'unit-service-admin',
        unit: 'finance',
      });
      expect(granted.ok).to.equal(true);
      const again = Date.now();
      while (!(await onB.can(request))) {
        if (Date.now() - again > 5000) throw new Error('instance B still denies after 5 s');
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await disposeContainer(b);
    }
  });
});
