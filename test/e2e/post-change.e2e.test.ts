import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as } from './lifecycle-helpers.js';
import { financeHandlerWithWork, liveWorkOf } from './post-change-helpers.js';

/**
 * 异动/调离 (Art. 6) through the API: a finance handler moves to logistics. Acceptance: the move
 * leaves no role in the old unit and no task with the person there.
 */
describe('post changes 异动/调离 (e2e)', () => {
  let t: TestApp;
  let work: Awaited<ReturnType<typeof financeHandlerWithWork>>;
  const person = 'T0975';
  before(async () => {
    t = await createTestApp();
    work = await financeHandlerWithWork(t, { id: person, username: 'mover', code: 'CW-MOVE' });
  });
  after(async () => {
    await t.close();
  });

  const path = `/api/v1/people/${person}/post-change`;
  const roles = async (subject: string) =>
    (
      (await as(t, 'it-officer').get(`/api/v1/role-assignments?subject=${subject}`)).body.items as Array<{
        role: string;
        unit: string;
      }>
    )
      .map((r) => `${r.role}@${r.unit}`)
      .sort();
  const audits = () => t.db.knex('audit_log').where({ action: 'person.post-changed', entity_id: person });
  const me = (token: string) => request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
  const postChanged = async (who: string) =>
    ((await as(t, who).get('/api/v1/me/messages')).body.items as Array<{ kind: string; body: string }>).filter(
      (m) => m.kind === 'person.post-changed',
    );

  it('refuses bad input, naming each field, an unknown person or unit, a successor who cannot take the work, and anyone but the IT Office, changing nothing', async () => {
    const token = await t.login('mover');
    const before = { roles: await roles(person), work: await liveWorkOf(t, person) };
    expect(before.roles).to.deep.equal(['handler@academic-affairs', 'handler@finance']);
    expect(before.work).to.have.length(3);

    const empty = await as(t, 'it-officer').post(path, { unit: '', reason: ' ', extra: 1 });
    expect(empty.status).to.equal(400);
    expect(empty.headers['content-type']).to.match(/^application\/problem\+json/);
    const paths = (empty.body.errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).to.include.members(['/unit', '/reason']);

    const unknownUnit = await as(t, 'it-officer').post(path, { unit: 'no-such-unit', reason: '调岗' });
    expect([unknownUnit.status, unknownUnit.body.code]).to.deep.equal([404, 'UNIT.NOT_FOUND']);
    const unknownPerson = await as(t, 'it-officer').post('/api/v1/people/T9999/post-change', {
      unit: 'logistics',
      reason: '调岗',
    });
    expect([unknownPerson.status, unknownPerson.body.code]).to.deep.equal([404, 'PERSON.NOT_FOUND']);
    // a student, and a logistics handler with no post in finance
    for (const successor of ['2024110101', 'T0602']) {
      const bad = await as(t, 'it-officer').post(path, { unit: 'logistics', successor, reason: '调岗' });
      expect([bad.status, bad.body.code, bad.body.errors[0].path], successor).to.deep.equal([
        400,
        'PERSON.BAD_SUCCESSOR',
        '/successor',
      ]);
    }
    expect((await as(t, 'cw-admin').post(path, { unit: 'logistics', reason: '调岗' })).status).to.equal(403);

    expect((await t.db.knex('people').where({ id: person }).first()).unit_key).to.equal('finance');
    expect({ roles: await roles(person), work: await liveWorkOf(t, person) }).to.deep.equal(before);
    expect(await audits()).to.have.length(0);
    expect((await me(token)).status, 'the session still works').to.equal(200);
  });

  it('moves the person in one audited step: no role and no task left in the old unit, the rest stays, the successor has the work, sessions end, both units’ admins are told', async () => {
    const token = await t.login('mover');
    const res = await as(t, 'it-officer').post(path, { unit: 'logistics', successor: 'T0302', reason: '调岗至后勤' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({
      personId: person,
      from: 'finance',
      to: 'logistics',
      successor: 'T0302',
      reason: '调岗至后勤',
      sessionsEnded: 1,
      notified: ['T0301', 'T0601'],
    });
    expect(res.body.rolesRevoked).to.deep.equal([{ subject: person, role: 'handler', unit: 'finance' }]);
    expect(
      (res.body.tasks as Array<{ applicationId: string; to: string }>).map((x) => [x.applicationId, x.to]).sort(),
    ).to.deep.equal(work.finance.map((id) => [id, 'T0302']).sort());

    expect((await t.db.knex('people').where({ id: person }).first()).unit_key).to.equal('logistics');
    expect(await roles(person), 'no role in finance; academic affairs stays').to.deep.equal([
      'handler@academic-affairs',
    ]);
    expect(await liveWorkOf(t, person), 'no finance task left with them').to.deep.equal([
      [work.elsewhere, 'academic-affairs'],
    ]);
    for (const id of work.finance)
      expect(
        (await liveWorkOf(t, 'T0302')).map(([a]) => a),
        'the successor has it',
      ).to.include(id);
    expect(
      await t.container.ports.enforcer.can({
        subject: person,
        unit: 'finance',
        object: 'service-item',
        action: 'read',
      }),
    ).to.equal(false);
    expect((await me(token)).status, 'sessions ended').to.equal(401);
    for (const admin of ['cw-admin', 'hq-admin']) {
      const told = await postChanged(admin);
      expect(told, admin).to.have.length(1);
      expect(told[0]!.body).to.contain('调岗至后勤');
    }
    expect(await postChanged('jw-admin'), 'only the two units’ admins').to.have.length(0);
    const audit = await audits();
    expect(audit.map((a) => [a.actor_id, a.unit_key])).to.deep.equal([['T0002', 'finance']]);
    const event = await t.db.knex('outbox').where({ topic: 'person.post-changed', aggregate_id: person });
    expect(event.map((e) => e.payload)).to.deep.equal([
      { actor: 'T0002', personId: person, from: 'finance', to: 'logistics', rolesRevoked: 1, handedOver: 2 },
    ]);
    t.forgetLogins();
  });

  it('a second run changes nothing and writes no audit entry', async () => {
    t.forgetLogins();
    const token = await t.login('mover');
    const before = { roles: await roles(person), work: await liveWorkOf(t, person) };
    const res = await as(t, 'it-officer').post(path, { unit: 'logistics', reason: '调岗至后勤' });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ from: 'logistics', to: 'logistics', rolesRevoked: [], tasks: [], notified: [] });
    expect({ roles: await roles(person), work: await liveWorkOf(t, person) }).to.deep.equal(before);
    expect(await audits()).to.have.length(1);
    expect((await me(token)).status).to.equal(200);
  });
});
