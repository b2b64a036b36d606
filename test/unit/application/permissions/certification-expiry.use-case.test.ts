import { expect } from 'chai';
import {
  CertificationExpiryUseCase,
  EXPIRY_REASON,
} from '../../../../src/application/permissions/certification-expiry.use-case.js';
import type { CertificationRecord } from '../../../../src/application/ports/role-assignments.port.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

const it_ = ActorMother.of(cast.itOffice, 'req-x');

const cert = (personId: string, passedOn: string, expiresOn: string): CertificationRecord => ({
  id: globalThis.crypto.randomUUID(),
  personId,
  course: '网上办事大厅管理员培训',
  passedOn,
  expiresOn,
  recordedBy: cast.itOffice.id,
  recordedAt: new Date('2026-01-01T00:00:00Z'),
});

/**
 * Today is 27 Nov 2026 in China. The finance admin's certification ran out yesterday; the academic
 * affairs admin's runs out in 30 days; the IT Office's holds for most of a year.
 */
function setup() {
  const hall = hallWithCast();
  hall.db.state.certifications.push(
    cert(cast.admin.id, '2025-11-26', '2026-11-26'),
    cert(cast.aaAdmin.id, '2025-12-28', '2026-12-27'),
    cert(cast.itOffice.id, '2026-09-01', '2027-08-31'),
  );
  return { hall, uc: new CertificationExpiryUseCase(hall) };
}

const notices = (hall: ReturnType<typeof setup>['hall'], kind: string) =>
  hall.db.state.notifications
    .filter((n) => n.kind === kind)
    .map((n) => n.recipientId)
    .sort();

describe('CertificationExpiryUseCase (Art. 17)', () => {
  it('revokes an admin role whose holder has no certification valid today, audited with why, and tells them and the IT Office', async () => {
    const { hall, uc } = setup();
    const run = await uc.run({ jobId: 'j1' });
    expect(run.today).to.equal('2026-11-27');
    expect(run.revoked).to.deep.equal([
      {
        subject: cast.admin.id,
        role: 'unit-service-admin',
        unit: 'finance',
        notified: [cast.admin.id, cast.itOffice.id],
      },
    ]);
    expect(hall.db.state.roleAssignments).not.to.deep.include({
      subject: cast.admin.id,
      role: 'unit-service-admin',
      unit: 'finance',
    });
    // the others keep theirs
    expect(hall.db.state.roleAssignments).to.deep.include({
      subject: cast.aaAdmin.id,
      role: 'unit-service-admin',
      unit: 'academic-affairs',
    });
    expect(hall.db.state.roleAssignments).to.deep.include({ subject: cast.itOffice.id, role: 'it-office', unit: '*' });
    expect(await hall.enforcer.holders({ role: 'unit-service-admin', unit: 'finance' })).to.deep.equal([]);
    const revoked = hall.audit.filter((e) => e.action === 'role.revoked');
    expect(revoked.map((e) => [e.actorId, e.requestId, e.entityId, e.unit, e.before, e.after])).to.deep.equal([
      [
        'system',
        'job-j1',
        cast.admin.id,
        'finance',
        { subject: cast.admin.id, role: 'unit-service-admin', unit: 'finance' },
        { reason: EXPIRY_REASON, notified: [cast.admin.id, cast.itOffice.id] },
      ],
    ]);
    expect(hall.outbox.find((e) => e.topic === 'role.revoked')!.payload).to.deep.equal({
      actor: 'system',
      subject: cast.admin.id,
      role: 'unit-service-admin',
      unit: 'finance',
      reason: EXPIRY_REASON,
      notified: [cast.admin.id, cast.itOffice.id],
    });
    expect(notices(hall, 'certification.lapsed')).to.deep.equal([cast.admin.id, cast.itOffice.id].sort());
  });

  it('tells the holder and the IT Office 30 and 7 days before, once per threshold, whatever the reruns', async () => {
    const { hall, uc } = setup();
    const first = await uc.run({ jobId: 'j1' });
    expect(first.noticed).to.deep.equal([
      {
        personId: cast.aaAdmin.id,
        threshold: 30,
        expiresOn: '2026-12-27',
        notified: [cast.aaAdmin.id, cast.itOffice.id],
      },
    ]);
    const expiring = hall.audit.filter((e) => e.action === 'certification.expiring');
    expect(expiring.map((e) => [e.actorId, e.entityId, e.after])).to.deep.equal([
      [
        'system',
        cast.aaAdmin.id,
        {
          expiresOn: '2026-12-27',
          threshold: 30,
          daysLeft: 30,
          roles: ['unit-service-admin@academic-affairs'],
          notified: [cast.aaAdmin.id, cast.itOffice.id],
        },
      ],
    ]);
    // the same day, and the next: nothing more
    const written = hall.db.dump();
    expect(await uc.run({ jobId: 'j2' })).to.deep.equal({ today: '2026-11-27', revoked: [], noticed: [] });
    hall.clock.advance({ days: 1 });
    expect((await uc.run({ jobId: 'j3' })).noticed).to.deep.equal([]);
    expect(hall.db.state.notifications.length).to.equal(written.notifications.length);
    // 7 days before: the second notice, once
    hall.clock.set('2026-12-20T02:00:00Z');
    expect((await uc.run({ jobId: 'j4' })).noticed.map((n) => [n.personId, n.threshold])).to.deep.equal([
      [cast.aaAdmin.id, 7],
    ]);
    hall.clock.advance({ days: 1 });
    expect((await uc.run({ jobId: 'j5' })).noticed).to.deep.equal([]);
    expect(notices(hall, 'certification.expiring')).to.deep.equal(
      [cast.aaAdmin.id, cast.aaAdmin.id, cast.itOffice.id, cast.itOffice.id].sort(),
    );
    // the last day it still holds; the day after, it lapses
    hall.clock.set('2026-12-27T15:59:00Z');
    expect((await uc.run({ jobId: 'j6' })).revoked).to.deep.equal([]);
    hall.clock.set('2026-12-27T16:00:00Z');
    expect((await uc.run({ jobId: 'j7' })).revoked.map((r) => r.subject)).to.deep.equal([cast.aaAdmin.id]);
  });

  it('a run repeated revokes nothing more and tells nobody twice', async () => {
    const { hall, uc } = setup();
    await uc.run({ jobId: 'j1' });
    const after = hall.db.dump();
    expect(await uc.run({ jobId: 'j2' })).to.deep.equal({ today: '2026-11-27', revoked: [], noticed: [] });
    expect(hall.db.dump()).to.deep.equal(after);
  });

  it('a renewal that follows on without a gap counts: no notice, no revocation', async () => {
    const { hall, uc } = setup();
    hall.db.state.certifications.push(cert(cast.aaAdmin.id, '2026-11-20', '2027-11-19'));
    const run = await uc.run({ jobId: 'j1' });
    expect(run.noticed).to.deep.equal([]);
    expect(run.revoked.map((r) => r.subject)).to.deep.equal([cast.admin.id]);
  });

  it('run on demand by the IT Office is audited as theirs; anyone else is refused and nothing changes', async () => {
    const { hall, uc } = setup();
    expect(failure(await uc.runAs(ActorMother.of(cast.aaAdmin))).code).to.equal('AUTH.FORBIDDEN');
    expect(hall.audit).to.deep.equal([]);
    const run = value(await uc.runAs(it_));
    expect(run.revoked.map((r) => r.subject)).to.deep.equal([cast.admin.id]);
    expect(hall.audit.filter((e) => e.action === 'role.revoked').map((e) => [e.actorId, e.requestId])).to.deep.equal([
      [cast.itOffice.id, 'req-x'],
    ]);
  });

  it('lists the admin roles running out within N days, or already run out, soonest first', async () => {
    const { uc } = setup();
    const list = value(await uc.expiring({ actor: it_, days: 30 }));
    expect(list.today).to.equal('2026-11-27');
    expect(list.items.map((r) => [r.personId, r.role, r.unit, r.expiresOn, r.daysLeft])).to.deep.equal([
      [cast.admin.id, 'unit-service-admin', 'finance', '2026-11-26', -1],
      [cast.aaAdmin.id, 'unit-service-admin', 'academic-affairs', '2026-12-27', 30],
    ]);
    expect(value(await uc.expiring({ actor: it_, days: 29 })).items.map((r) => r.personId)).to.deep.equal([
      cast.admin.id,
    ]);
    expect(failure(await uc.expiring({ actor: it_, days: -1 })).code).to.equal('CERTIFICATION.BAD_DAYS');
    expect(failure(await uc.expiring({ actor: ActorMother.of(cast.admin), days: 30 })).code).to.equal('AUTH.FORBIDDEN');
  });
});
