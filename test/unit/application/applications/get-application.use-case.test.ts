import { expect } from 'chai';
import { GetApplicationUseCase } from '../../../../src/application/applications/get-application.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

/** A submitted application the handler claimed, with a private note of theirs and a public comment. */
function setup(o: { involvedUnits?: string[] } = {}) {
  const s = hallWithItem(o);
  const a = s.stored((w) => {
    const app = ApplicationMother.submitted(w);
    app.claim(openTask(app, 'check').id, cast.handler.id, true, new Date('2026-11-24T01:00:00Z'));
    app.comment(cast.handler.id, '发票金额可疑', true, new Date('2026-11-24T01:01:00Z'));
    app.comment(cast.handler.id, '请补充行程单', false, new Date('2026-11-24T01:02:00Z'));
    return app;
  });
  return { ...s, a, uc: new GetApplicationUseCase(s.hall) };
}

const read = (uc: GetApplicationUseCase, who: { id: string }, applicationId: string) =>
  uc.execute({ actor: ActorMother.of(who.id), applicationId });

describe('GetApplicationUseCase', () => {
  it("shows the applicant where the application stands and its history, without handlers' private notes", async () => {
    const { uc, a } = setup();
    const view = value(await read(uc, cast.applicant, a.id));
    expect(view).to.deep.include({ id: a.id, state: 'in_progress', activeNode: 'check', historyNextCursor: null });
    expect(view.history.map((h) => h.action)).to.deep.equal([
      'saved',
      'submitted',
      'node-activated',
      'claimed',
      'commented',
    ]);
    expect(view.history.at(-1)!.comment).to.equal('请补充行程单');
  });

  it("leaves a read trace when anyone but the applicant reads the applicant's form", async () => {
    const { hall, uc, a } = setup();
    value(await read(uc, cast.applicant, a.id));
    expect(hall.readTrail.reads, "the applicant's own reads: none").to.deep.equal([]);
    value(await read(uc, cast.handler, a.id));
    value(await read(uc, cast.auditor, a.id));
    expect(hall.readTrail.reads.map((r) => [r.readerId, r.subjectId, r.applicationId, r.what])).to.deep.equal([
      [cast.handler.id, cast.applicant.id, a.id, 'form'],
      [cast.auditor.id, cast.applicant.id, a.id, 'form'],
    ]);
    expect(failure(await read(uc, cast.outsider, a.id)).code).to.equal('AUTH.FORBIDDEN');
    expect(hall.readTrail.reads, 'a refused read reads nothing').to.have.length(2);
  });

  it('shows handlers the private notes too', async () => {
    const { uc, a } = setup();
    expect(
      value(await read(uc, cast.handler, a.id))
        .history.filter((h) => h.private)
        .map((h) => h.comment),
    ).to.deep.equal(['发票金额可疑']);
  });

  it("lets read: the task holder, a pool member of an open task, people copied, the owning unit's admins and the auditors", async () => {
    const { hall, uc, a } = setup();
    const copied = PersonMother.staff({ unit: 'logistics' });
    hall.seed.people(copied);
    hall.db.state.applications.get(a.id)!.props.copiedTo.push(copied.id);
    for (const who of [cast.handler, cast.admin, cast.auditor, cast.itOffice, copied]) {
      expect(value(await read(uc, who, a.id)).id, who.id).to.equal(a.id);
    }
  });

  it('lets the admins of an involved unit read, and refuses everyone else with AUTH.FORBIDDEN', async () => {
    const { hall, uc, a } = setup({ involvedUnits: ['finance', 'academic-affairs'] });
    const involved = PersonMother.staff({ unit: 'academic-affairs' });
    const otherAdmin = PersonMother.staff({ unit: 'logistics' });
    hall.seed.people(involved, otherAdmin);
    hall.seed.grant(involved.id, 'unit-service-admin', 'academic-affairs');
    hall.seed.grant(otherAdmin.id, 'unit-service-admin', 'logistics');
    expect(value(await read(uc, involved, a.id)).id).to.equal(a.id);
    expect(failure(await read(uc, otherAdmin, a.id)).code).to.equal('AUTH.FORBIDDEN');
    expect(failure(await read(uc, cast.outsider, a.id)).code).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.history({ actor: ActorMother.of(cast.outsider), applicationId: a.id, limit: 10 })).code,
    ).to.equal('AUTH.FORBIDDEN');
  });

  it('answers an unknown application with APPLICATION.NOT_FOUND', async () => {
    const { uc } = setup();
    expect(failure(await read(uc, cast.auditor, globalThis.crypto.randomUUID())).code).to.equal(
      'APPLICATION.NOT_FOUND',
    );
  });

  it("pages the history with a cursor, whole and in order, the applicant's pages without private notes", async () => {
    const { uc, a } = setup();
    const pages = async (who: { id: string }) => {
      const seqs: number[] = [];
      let cursor: string | undefined;
      do {
        const page = value(await uc.history({ actor: ActorMother.of(who.id), applicationId: a.id, limit: 2, cursor }));
        seqs.push(...page.items.map((h) => h.seq));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seqs;
    };
    expect(await pages(cast.handler)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(await pages(cast.applicant)).to.deep.equal([1, 2, 3, 4, 6]);
  });

  it('writes nothing when read', async () => {
    const { hall, uc, a } = setup();
    const before = hall.db.dump();
    value(await read(uc, cast.auditor, a.id));
    expect(hall.db.dump()).to.deep.equal(before);
  });

  describe('the form each reader sees (fields.visible, x-sensitive)', () => {
    it('each reader kind sees only what it may: applicant all, the step its fields, overseers all with personal ones masked', async () => {
      const s = hallWithItem({
        definition: (() => {
          const d = ProcessDefinitionMother.create({
            steps: [NodeMother.review({ key: 'check', fields: { visible: ['amount', 'bank_account'] } })],
          });
          d.nodes.at(-1)!.fields = { visible: ['purpose'] };
          return d;
        })(),
      });
      const copied = PersonMother.staff({ unit: 'logistics' });
      s.hall.seed.people(copied);
      const at = new Date('2026-11-24T01:00:00Z');
      const a = s.stored((w) => {
        const app = ApplicationMother.submitted(w, {
          form: { amount: 1280.5, purpose: '赴京参会', bank_account: '6222020200113445' },
        });
        const check = openTask(app, 'check').id;
        app.claim(check, cast.handler.id, true, at);
        app.copyTo(check, cast.handler.id, [copied.id], at);
        return app;
      });
      const uc = new GetApplicationUseCase(s.hall);
      const formOf = async (who: { id: string }) => value(await read(uc, who, a.id)).form;
      const all = { amount: 1280.5, purpose: '赴京参会', bank_account: '6222020200113445' };
      const masked = { ...all, bank_account: '6222********3445' };
      expect(await formOf(cast.applicant), 'the applicant').to.deep.equal(all);
      expect(await formOf(cast.handler), 'the holder of check').to.deep.equal({
        amount: 1280.5,
        bank_account: '6222020200113445',
      });
      expect(await formOf(cast.colleague), 'a member of the pool check is offered to: what check sees').to.deep.equal({
        amount: 1280.5,
        bank_account: '6222020200113445',
      });
      expect(await formOf(copied), 'copied at check: what check sees').to.deep.equal({
        amount: 1280.5,
        bank_account: '6222020200113445',
      });
      for (const overseer of [cast.admin, cast.auditor, cast.itOffice]) {
        expect(await formOf(overseer), overseer.id).to.deep.equal(masked);
      }
      expect(s.hall.stored(a.id).props.form, 'stored as it was').to.deep.equal(all);
    });
  });
});
