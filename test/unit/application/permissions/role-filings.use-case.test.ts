import { expect } from 'chai';
import { RoleFilingsUseCase } from '../../../../src/application/permissions/role-filings.use-case.js';
import { PermissionsUseCase } from '../../../../src/application/permissions/permissions.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

const admin = ActorMother.of(cast.admin);
const itOffice = ActorMother.of(cast.itOffice);
const newcomer = PersonMother.staff({ id: 'T0399', name: '周新人' });

function setup() {
  const s = hallWithItem();
  s.hall.seed.people(newcomer);
  const filing = (o: Partial<Parameters<RoleFilingsUseCase['file']>[0]> = {}) => ({
    actor: admin,
    subject: newcomer.id,
    role: 'handler',
    unit: 'finance',
    items: [{ itemId: s.item.id, nodes: ['check'] }],
    reason: '新进财务审核人员',
    ...o,
  });
  return { ...s, uc: new RoleFilingsUseCase(s.hall), filing };
}

describe('RoleFilingsUseCase (备案, Art. 4(3)2, 6)', () => {
  it('a unit admin files for their unit: pending, audited, the IT Office told; nothing granted yet', async () => {
    const { hall, uc, filing, item } = setup();
    const f = value(await uc.file(filing()));
    expect(f).to.deep.include({
      subject: newcomer.id,
      role: 'handler',
      unit: 'finance',
      state: 'pending',
      items: [{ itemId: item.id, nodes: ['check'] }],
      filedBy: cast.admin.id,
      decision: null,
    });
    expect(hall.db.state.roleAssignments.filter((a) => a.subject === newcomer.id)).to.deep.equal([]);
    expect(hall.audit.map((e) => [e.action, e.entityType, e.unit])).to.deep.equal([
      ['role-filing.filed', 'role-filing', 'finance'],
    ]);
    expect(hall.db.state.notifications.map((n) => [n.recipientId, n.kind])).to.deep.equal([
      [cast.itOffice.id, 'role-filing.filed'],
    ]);
  });

  it('accepted: the role is granted, linked to the filing, and the filer is told', async () => {
    const { hall, uc, filing } = setup();
    const f = value(await uc.file(filing()));
    const decided = value(await uc.decide({ actor: itOffice, filingId: f.id, decision: 'accept' }));
    expect(decided.state).to.equal('accepted');
    expect(hall.db.state.roleAssignments.filter((a) => a.subject === newcomer.id)).to.deep.equal([
      { subject: newcomer.id, role: 'handler', unit: 'finance', filingId: f.id },
    ]);
    expect(hall.audit.map((e) => e.action)).to.deep.equal([
      'role-filing.filed',
      'role.granted',
      'role-filing.accepted',
    ]);
    expect(hall.audit[1]!.after).to.deep.equal({
      subject: newcomer.id,
      role: 'handler',
      unit: 'finance',
      filingId: f.id,
    });
    expect(hall.db.state.notifications.at(-1)).to.deep.include({
      recipientId: cast.admin.id,
      kind: 'role-filing.decided',
    });
  });

  it('refused: nothing is granted, the reason reaches the filer; a decided filing stays decided', async () => {
    const { hall, uc, filing } = setup();
    const f = value(await uc.file(filing()));
    value(await uc.decide({ actor: itOffice, filingId: f.id, decision: 'refuse', reason: '该岗位已满员' }));
    expect(hall.db.state.roleAssignments.filter((a) => a.subject === newcomer.id)).to.deep.equal([]);
    expect(hall.db.state.notifications.at(-1)!.body).to.include('该岗位已满员');
    const before = hall.db.dump();
    expect(failure(await uc.decide({ actor: itOffice, filingId: f.id, decision: 'accept' })).code).to.equal(
      'ROLE_FILING.ALREADY_DECIDED',
    );
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('a direct grant by the IT Office says in its audit entry that no filing is behind it', async () => {
    const { hall } = setup();
    value(
      await new PermissionsUseCase(hall).grant({
        actor: itOffice,
        subject: newcomer.id,
        role: 'handler',
        unit: 'finance',
      }),
    );
    expect(hall.audit.map((e) => [e.action, e.after])).to.deep.equal([
      ['role.granted', { subject: newcomer.id, role: 'handler', unit: 'finance', filingId: null, withoutFiling: true }],
    ]);
  });

  it('only for their own unit, only unit roles, and only the IT Office decides', async () => {
    const { hall, uc, filing } = setup();
    expect(failure(await uc.file(filing({ unit: 'academic-affairs' }))).code).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.file(filing({ actor: ActorMother.of(cast.handler) }))).code).to.equal('AUTH.FORBIDDEN');
    const f = value(await uc.file(filing()));
    for (const who of [cast.admin, cast.presidentOffice, cast.auditor])
      expect(
        failure(await uc.decide({ actor: ActorMother.of(who), filingId: f.id, decision: 'accept' })).code,
      ).to.equal('AUTH.FORBIDDEN');
    expect(hall.db.state.roleAssignments.filter((a) => a.subject === newcomer.id)).to.deep.equal([]);
  });

  it('names every wrong field, and changes nothing', async () => {
    const { hall, uc, filing, item } = setup();
    const before = hall.db.dump();
    const e = failure(
      await uc.file(
        filing({
          subject: cast.applicant.id,
          role: 'it-office',
          items: [
            { itemId: item.id, nodes: ['check', 'nowhere'] },
            { itemId: globalThis.crypto.randomUUID(), nodes: [] },
          ],
          reason: ' ',
        }),
      ),
    ) as InputError;
    expect(e.code).to.equal('ROLE_FILING.INVALID');
    expect(e.problems.map((p) => p.path)).to.include.members([
      '/role',
      '/subject',
      '/items/0/nodes/1',
      '/items/1/itemId',
      '/reason',
    ]);
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('an admin role needs a current certification attached', async () => {
    const { hall, uc, filing } = setup();
    const e = failure(await uc.file(filing({ role: 'unit-service-admin' }))) as InputError;
    expect(e.problems.map((p) => p.path)).to.include('/certificationId');
    hall.db.state.certifications.push({
      id: '7b6f3d1e-0000-4000-8000-000000000001',
      personId: newcomer.id,
      course: '网上办事大厅管理员培训',
      passedOn: '2026-01-10',
      expiresOn: '2028-01-09',
      recordedBy: cast.itOffice.id,
      recordedAt: new Date('2026-01-10T00:00:00Z'),
    });
    const f = value(
      await uc.file(filing({ role: 'unit-service-admin', certificationId: '7b6f3d1e-0000-4000-8000-000000000001' })),
    );
    expect(f.certificationId).to.equal('7b6f3d1e-0000-4000-8000-000000000001');
  });

  it('lists what each reader may see', async () => {
    const { uc, filing } = setup();
    const f = value(await uc.file(filing()));
    const ids = async (who: typeof cast.admin, unit?: string) =>
      value(await uc.list({ actor: ActorMother.of(who), unit, limit: 10 })).items.map((x) => x.id);
    expect(await ids(cast.itOffice)).to.deep.equal([f.id]);
    expect(await ids(cast.auditor)).to.deep.equal([f.id]);
    expect(await ids(cast.admin)).to.deep.equal([f.id]);
    expect(await ids(cast.aaAdmin)).to.deep.equal([]);
    expect(await ids(cast.aaAdmin, 'finance')).to.deep.equal([]);
    expect(failure(await uc.get({ actor: ActorMother.of(cast.aaAdmin), filingId: f.id })).code).to.equal(
      'AUTH.FORBIDDEN',
    );
  });
});
