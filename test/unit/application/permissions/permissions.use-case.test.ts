import { expect } from 'chai';
import { PermissionsUseCase } from '../../../../src/application/permissions/permissions.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

const it_ = ActorMother.of(cast.itOffice, 'req-p');

/** A new finance clerk without roles, a student and a leaver; today is 27 Nov 2026 (China). */
function setup() {
  const hall = hallWithCast();
  const clerk = PersonMother.staff({ unit: 'finance' });
  const student = PersonMother.student();
  const leaver = PersonMother.staff({ status: 'retired' });
  hall.seed.people(clerk, student, leaver);
  return { hall, clerk, student, leaver, uc: new PermissionsUseCase(hall) };
}

const problems = (e: unknown) => (e as InputError).problems.map((p) => p.path);

describe('PermissionsUseCase: roles', () => {
  it('grants a role, audited, and the policy learns of it once committed', async () => {
    const { hall, uc, clerk } = setup();
    expect(value(await uc.grant({ actor: it_, subject: clerk.id, role: 'handler', unit: 'finance' }))).to.deep.equal({
      subject: clerk.id,
      role: 'handler',
      unit: 'finance',
    });
    expect(hall.db.state.roleAssignments).to.deep.include({
      subject: clerk.id,
      role: 'handler',
      unit: 'finance',
      filingId: null,
    });
    expect(hall.enforcer.refreshes).to.equal(1);
    expect(await hall.enforcer.holders({ role: 'handler', unit: 'finance' })).to.include(clerk.id);
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.unit, e.requestId])).to.deep.equal([
      ['role.granted', 'person', clerk.id, 'finance', 'req-p'],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({
      actor: cast.itOffice.id,
      subject: clerk.id,
      role: 'handler',
      unit: 'finance',
      filingId: null,
    });
  });

  it('audits a global role under no unit', async () => {
    const { hall, uc, clerk } = setup();
    value(await uc.grant({ actor: it_, subject: clerk.id, role: 'auditor', unit: '*' }));
    expect(hall.audit[0]!.unit).to.equal(null);
  });

  it('gives an admin role only with a training certification valid today', async () => {
    const { uc, clerk } = setup();
    const e = failure(await uc.grant({ actor: it_, subject: clerk.id, role: 'unit-service-admin', unit: 'finance' }));
    expect([e.code, problems(e)]).to.deep.equal(['ROLE.NOT_ELIGIBLE', ['/subject']]);
    value(
      await uc.recordCertification({
        actor: it_,
        personId: clerk.id,
        course: '网上办事大厅管理员培训',
        passedOn: '2026-11-01',
        expiresOn: '2027-10-31',
      }),
    );
    value(await uc.grant({ actor: it_, subject: clerk.id, role: 'unit-service-admin', unit: 'finance' }));
  });

  it('refuses roles to students and people no longer active, and changes nothing', async () => {
    const { hall, uc, student, leaver } = setup();
    const before = hall.db.dump();
    expect(
      failure(await uc.grant({ actor: it_, subject: student.id, role: 'handler', unit: 'finance' })).code,
    ).to.equal('ROLE.NOT_ELIGIBLE');
    expect(failure(await uc.grant({ actor: it_, subject: leaver.id, role: 'handler', unit: 'finance' })).code).to.equal(
      'ROLE.NOT_ELIGIBLE',
    );
    expect([hall.db.dump(), hall.enforcer.refreshes]).to.deep.equal([before, 0]);
  });

  it("refuses an assignment that does not fit the role's scope or names what does not exist", async () => {
    const { uc, clerk } = setup();
    expect(
      problems(failure(await uc.grant({ actor: it_, subject: clerk.id, role: 'wizard', unit: 'finance' }))),
    ).to.deep.equal(['/role']);
    expect(
      problems(failure(await uc.grant({ actor: it_, subject: clerk.id, role: 'auditor', unit: 'finance' }))),
    ).to.deep.equal(['/unit']);
    expect(
      problems(failure(await uc.grant({ actor: it_, subject: clerk.id, role: 'handler', unit: '*' }))),
    ).to.deep.equal(['/unit']);
    expect(failure(await uc.grant({ actor: it_, subject: 'T9999', role: 'handler', unit: 'finance' })).code).to.equal(
      'PERSON.NOT_FOUND',
    );
  });

  it('refuses a role already held, and a revocation of one not held, changing nothing', async () => {
    const { hall, uc } = setup();
    const before = hall.db.dump();
    expect(
      failure(await uc.grant({ actor: it_, subject: cast.handler.id, role: 'handler', unit: 'finance' })).code,
    ).to.equal('ROLE.ALREADY_HELD');
    expect(
      failure(await uc.revoke({ actor: it_, subject: cast.handler.id, role: 'handler', unit: 'logistics' })).code,
    ).to.equal('ROLE.NOT_HELD');
    expect([hall.db.dump(), hall.enforcer.refreshes]).to.deep.equal([before, 0]);
  });

  it('revokes a role, audited, and the policy forgets it once committed', async () => {
    const { hall, uc } = setup();
    value(await uc.revoke({ actor: it_, subject: cast.handler.id, role: 'handler', unit: 'finance' }));
    expect(await hall.enforcer.holders({ role: 'handler', unit: 'finance' })).to.deep.equal([cast.colleague.id]);
    expect(hall.audit.map((e) => [e.action, e.before, e.after])).to.deep.equal([
      ['role.revoked', { subject: cast.handler.id, role: 'handler', unit: 'finance' }, null],
    ]);
  });

  it('lists the assignments, filtered', async () => {
    const { uc } = setup();
    expect(
      value(await uc.list({ actor: it_, unit: 'finance', role: 'handler' })).items.map((a) => a.subject),
    ).to.deep.equal([cast.handler.id, cast.colleague.id]);
  });

  it('is for the IT Office only: everyone else is refused before anything is looked at', async () => {
    const { hall, uc, clerk } = setup();
    const admin = ActorMother.of(cast.admin);
    expect(
      failure(await uc.grant({ actor: admin, subject: clerk.id, role: 'handler', unit: 'finance' })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.revoke({ actor: admin, subject: cast.handler.id, role: 'handler', unit: 'finance' })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.list({ actor: admin })).code).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(
        await uc.recordCertification({
          actor: admin,
          personId: clerk.id,
          course: 'x',
          passedOn: '2026-01-01',
          expiresOn: '2027-01-01',
        }),
      ).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.certificationsOf({ actor: ActorMother.of(cast.auditor), personId: clerk.id })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(hall.uow.outcomes).to.deep.equal([]);
  });
});

describe('PermissionsUseCase: training certifications', () => {
  it("records a certification, audited, and lists a person's", async () => {
    const { hall, uc, clerk } = setup();
    const c = value(
      await uc.recordCertification({
        actor: it_,
        personId: clerk.id,
        course: '培训',
        passedOn: '2026-11-01',
        expiresOn: '2027-10-31',
      }),
    );
    expect(c).to.deep.include({ personId: clerk.id, recordedBy: cast.itOffice.id, recordedAt: hall.clock.now() });
    expect(value(await uc.certificationsOf({ actor: it_, personId: clerk.id })).items.map((x) => x.id)).to.deep.equal([
      c.id,
    ]);
    expect(hall.audit.map((e) => [e.action, e.entityId, e.unit])).to.deep.equal([
      ['certification.recorded', clerk.id, null],
    ]);
  });

  it('refuses dates that match YYYY-MM-DD but are not on the calendar, naming each', async () => {
    const { hall, uc, clerk } = setup();
    const e = failure(
      await uc.recordCertification({
        actor: it_,
        personId: clerk.id,
        course: '培训',
        passedOn: '6021-97-15',
        expiresOn: '2027-02-29',
      }),
    );
    expect([e.code, problems(e)]).to.deep.equal(['CERTIFICATION.BAD_DATES', ['/passedOn', '/expiresOn']]);
    expect(hall.db.state.certifications).to.deep.equal([]);
  });

  it('refuses one that expires before it was passed, or of nobody', async () => {
    const { hall, uc, clerk } = setup();
    const e = failure(
      await uc.recordCertification({
        actor: it_,
        personId: clerk.id,
        course: '培训',
        passedOn: '2026-11-01',
        expiresOn: '2026-10-31',
      }),
    );
    expect([e.code, problems(e)]).to.deep.equal(['CERTIFICATION.BAD_DATES', ['/expiresOn']]);
    expect(
      failure(
        await uc.recordCertification({
          actor: it_,
          personId: 'T9999',
          course: '培训',
          passedOn: '2026-11-01',
          expiresOn: '2027-10-31',
        }),
      ).code,
    ).to.equal('PERSON.NOT_FOUND');
    expect(hall.db.state.certifications).to.deep.equal([]);
  });
});
