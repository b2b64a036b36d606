import { expect } from 'chai';
import { PrintoutsUseCase } from '../../../../src/application/printouts/printouts.use-case.js';
import { canonicalBytes, type PrintoutContent } from '../../../../src/domain/printout/printout.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother, engineContextFor } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

/** The review step is printable: a printout may be issued while the application waits there. */
const printableCheck = () =>
  ProcessDefinitionMother.create({ steps: [NodeMother.review({ key: 'check', name: '财务审核', printable: true })] });

function setup(definition = ProcessDefinitionMother.create()) {
  const s = hallWithItem({ definition });
  return { ...s, uc: new PrintoutsUseCase(s.hall) };
}

describe('PrintoutsUseCase: issuing (办事凭证)', () => {
  it('signs and renders a completed application, and keeps it under a new code with its audit entry', async () => {
    const { hall, uc, stored, item } = setup();
    const done = stored((w) => ApplicationMother.completed(w));
    const issued = value(await uc.issue(ActorMother.of(cast.applicant, 'req-p'), done.id));
    expect(issued.code).to.match(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(issued).to.deep.include({
      applicationId: done.id,
      caseNumber: '2026-CW-000001',
      contentType: 'application/pdf',
      fileName: `2026-CW-000001-${issued.code}.pdf`,
      verifyUrl: hall.verifyUrl(issued.code),
    });
    const record = hall.db.state.printouts.get(issued.code)!;
    expect(record).to.deep.include({
      applicationId: done.id,
      keyId: 'TESTKEY1',
      historySeq: done.current.lastSeq,
      issuedBy: cast.applicant.id,
      revokedAt: null,
    });
    expect(hall.printoutSigner.verify(canonicalBytes(record.content), record.signature)).to.equal(true);
    expect(JSON.parse(issued.document.toString()).content).to.deep.equal(record.content);
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.unit, e.requestId])).to.deep.equal([
      ['printout.issued', 'printout', issued.code, 'finance', 'req-p'],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({
      actor: cast.applicant.id,
      code: issued.code,
      applicationId: done.id,
      caseNumber: '2026-CW-000001',
    });
    expect(record.content.service).to.deep.equal({ code: item.code, name: item.name });
  });

  it('prints names, not ids: the applicant with their unit, and each handler of the trail', async () => {
    const { hall, uc, stored } = setup();
    const done = stored((w) => ApplicationMother.completed(w));
    const { code } = value(await uc.issue(ActorMother.of(cast.applicant), done.id));
    const content: PrintoutContent = hall.db.state.printouts.get(code)!.content;
    expect(content.applicant).to.deep.equal({ name: '张三', unit: '信息学院' });
    expect(content.trail.map((t) => [t.node, t.actor, t.action])).to.deep.equal([
      ['提交申请', '张三', '提交 Submitted'],
      ['审核 check', '孙财务', '通过 Approved'],
      ['办结', '孙财务', '通过 Approved'],
      ['—', '系统 System', '办结 Completed'],
    ]);
  });

  it('lets the handlers who acted issue it too, but not other readers, and not before it is printable', async () => {
    const { hall, uc, stored, submitted } = setup();
    const done = stored((w) => ApplicationMother.completed(w));
    const running = submitted();
    expect(value(await uc.issue(ActorMother.of(cast.handler), done.id)).applicationId).to.equal(done.id);
    expect(failure(await uc.issue(ActorMother.of(cast.auditor), done.id)).code).to.equal('PRINTOUT.NOT_ALLOWED');
    expect(failure(await uc.issue(ActorMother.of(cast.outsider), done.id)).code).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.issue(ActorMother.of(cast.applicant), running.id)).code).to.equal('PRINTOUT.NOT_PRINTABLE');
    expect(failure(await uc.issue(ActorMother.of(cast.applicant), 'unknown')).code).to.equal('APPLICATION.NOT_FOUND');
    expect(hall.db.state.printouts.size, "the handler's only").to.equal(1);
    const [issued] = hall.db.state.printouts.values();
    expect(hall.readTrail.reads.map((r) => [r.readerId, r.subjectId, r.what, r.detail])).to.deep.equal([
      [cast.handler.id, cast.applicant.id, 'printout', issued!.code],
    ]);
  });

  it('issues while the application waits at a printable step, saying where it stands', async () => {
    const { hall, uc, submitted } = setup(printableCheck());
    const a = submitted();
    const { code } = value(await uc.issue(ActorMother.of(cast.applicant), a.id));
    expect(hall.db.state.printouts.get(code)!.content.result).to.equal(
      '办理中（当前环节：财务审核） In progress (current step: 财务审核)',
    );
  });

  it('gives up after three codes that are all taken, storing nothing', async () => {
    const { hall, uc, stored } = setup();
    const done = stored((w) => ApplicationMother.completed(w));
    hall.printouts.refuseAll = true;
    let thrown: unknown;
    try {
      await uc.issue(ActorMother.of(cast.applicant), done.id);
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Error).message).to.equal('no free verification code after 3 attempts');
    expect([hall.renderer.rendered.length, hall.db.state.printouts.size, hall.audit.length]).to.deep.equal([3, 0, 0]);
  });
});

describe('PrintoutsUseCase: verifying', () => {
  it('answers a code as typed with what the printout must say, and whether it holds', async () => {
    const { uc, stored } = setup();
    const done = stored((w) => ApplicationMother.completed(w));
    const { code } = value(await uc.issue(ActorMother.of(cast.applicant), done.id));
    const v = value(await uc.verify({ code: code.toLowerCase().replace(/-/g, '') }));
    expect(v).to.deep.include({ code, status: 'valid', keyId: 'TESTKEY1', algorithm: 'Ed25519' });
    expect(v.summary).to.deep.include({
      caseNumber: '2026-CW-000001',
      applicantName: '张三',
      result: '已办结 Completed',
    });
    expect(v.contentSha256).to.match(/^[0-9a-f]{64}$/);
    expect(failure(await uc.verify({ code: 'not a code' })).code).to.equal('PRINTOUT.NOT_FOUND');
    expect(failure(await uc.verify({ code: '0000-0000-0000' })).code).to.equal('PRINTOUT.NOT_FOUND');
  });

  it('revokes a printout once the application was returned after it, audited once as the system', async () => {
    const { hall, uc, submitted, world } = setup(printableCheck());
    const a = submitted();
    const { code } = value(await uc.issue(ActorMother.of(cast.applicant), a.id));
    await hall.uow.run(async (scope) => {
      const loaded = (await scope.applications.findById(a.id))!;
      const task = openTask(loaded, 'check');
      loaded.claim(task.id, cast.handler.id, true, hall.clock.now());
      loaded.returnTo(task.id, cast.handler.id, 'applicant', '请补充', engineContextFor(world(), hall.clock.now()));
      await scope.applications.save(loaded);
    });
    const v = value(await uc.verify({ code, requestId: 'req-v' }));
    expect(v).to.deep.include({
      status: 'revoked',
      revokedReason: 'returned',
      revokedAt: hall.clock.now().toISOString(),
    });
    value(await uc.verify({ code }));
    expect(
      hall.audit.filter((e) => e.action === 'printout.revoked').map((e) => [e.actorId, e.requestId, e.entityId]),
    ).to.deep.equal([['system', 'req-v', code]]);
  });

  it('publishes the key receivers check signatures with', async () => {
    const { hall, uc } = setup();
    expect(value(await uc.publicKey())).to.deep.equal({
      keyId: 'TESTKEY1',
      algorithm: 'Ed25519',
      publicKeyPem: hall.printoutSigner.publicKeyPem,
    });
  });
});
