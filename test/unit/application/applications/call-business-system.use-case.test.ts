import { expect } from 'chai';
import { CallBusinessSystemUseCase, type ConnectorCallJob } from '../../../../src/application/applications/call-business-system/call-business-system.use-case.js';
import { FakeBusinessConnectors } from '../../../fakes/in-memory-connector-queue.js';
import { NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { hallWithItem } from '../hall.scenario.js';

/**
 * An application that reached the transfer node of the dormitory system, its call queued as the
 * action that reached it queues it (ActOnTask's own test shows that), and the use case over `systems`.
 */
function setup(systems: ConstructorParameters<typeof FakeBusinessConnectors>[0]) {
  const definition = ProcessDefinitionMother.create({ steps: [NodeMother.transfer({ key: 'dorm', name: '宿舍系统', connector: 'dormitory-system' })] });
  const s = hallWithItem({ definition });
  const a = s.submitted();
  const connectors = new FakeBusinessConnectors(systems);
  const uc = new CallBusinessSystemUseCase({ ...s.hall, connectors });
  const job = (attempt: number, attempts = 3): ConnectorCallJob => ({
    queue: 'connector-call', id: 'job-1', attempt, attempts,
    call: {
      applicationId: a.id, node: 'dorm', activation: 1,
      request: { requestId: 'job-1', connector: 'dormitory-system', caseNumber: a.current.caseNumber, applicationId: a.id, node: 'dorm', form: a.current.form, applicant: { ...a.current.applicant } },
    },
  });
  return { ...s, a, connectors, uc, job };
}

const failing = () => { throw new Error('503 Service Unavailable'); };

describe('CallBusinessSystemUseCase', () => {
  it('sends the call, and records the answer in the history and the audit log as the system, ending the job with them', async () => {
    const { hall, a, uc, connectors, job } = setup({ 'dormitory-system': () => 'DORM-2026-0042' });
    expect(await uc.call(job(1))).to.equal('sent');
    expect(connectors.sent.map((r) => [r.requestId, r.applicationId, r.node, r.caseNumber])).to.deep.equal([['job-1', a.id, 'dorm', '2026-CW-000001']]);
    expect(hall.stored(a.id).history.at(-1)).to.deep.include({
      action: 'connector-succeeded', actor: 'system', node: 'dorm', detail: { connector: 'dormitory-system', reference: 'DORM-2026-0042' },
    });
    expect(hall.audit.map((e) => [e.action, e.actorId, e.requestId, e.entityId])).to.deep.equal([['connector.succeeded', 'system', 'connector-call', a.id]]);
    expect(hall.outbox.map((e) => e.payload)).to.deep.equal([{ actor: 'system', connector: 'dormitory-system', node: 'dorm', requestId: 'job-1' }]);
    expect([hall.db.state.completedJobs, hall.db.state.failedJobs]).to.deep.equal([[{ queue: 'connector-call', id: 'job-1' }], []]);
  });

  it('a failed attempt before the last fails the job for the queue\'s back-off and leaves the application alone', async () => {
    const { hall, a, uc, job } = setup({ 'dormitory-system': failing });
    const historyBefore = hall.stored(a.id).history.length;
    expect(await uc.call(job(1))).to.equal('failed');
    expect(hall.db.state.failedJobs).to.deep.equal([{ queue: 'connector-call', id: 'job-1', error: '503 Service Unavailable' }]);
    expect([hall.stored(a.id).history.length, hall.audit.length, hall.db.state.completedJobs.length]).to.deep.equal([historyBefore, 0, 0]);
  });

  it('gives up after the last attempt, and the history and the audit log say so; the unit\'s own task stands', async () => {
    const { hall, a, uc, job } = setup({});
    expect(await uc.call(job(3, 3))).to.equal('abandoned');
    const last = hall.stored(a.id).history.at(-1)!;
    expect(last).to.deep.include({ action: 'connector-failed', node: 'dorm' });
    expect(last.detail!.error).to.equal(`gave up after 3 attempts: unknown connector 'dormitory-system'`);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['connector.abandoned']);
    expect(hall.db.state.failedJobs.map((j) => j.id)).to.deep.equal(['job-1']);
    expect(hall.stored(a.id).props.tasks.filter((t) => t.status === 'open').map((t) => t.nodeKey)).to.deep.equal(['dorm']);
  });

  it('a call whose application is gone ends its job without recording anything', async () => {
    const { hall, a, uc, job } = setup({ 'dormitory-system': () => 'DORM-1' });
    hall.db.state.applications.delete(a.id);
    expect(await uc.call(job(1))).to.equal('sent');
    expect([hall.audit.length, hall.db.state.completedJobs.length]).to.deep.equal([0, 1]);
  });
});
