import { expect } from 'chai';
import {
  CallBusinessSystemUseCase,
  type ConnectorCallJob,
} from '../../../../src/application/applications/call-business-system.use-case.js';
import {
  ConnectorRejectedError,
  type ConnectorCall,
} from '../../../../src/application/ports/business-connectors.port.js';
import { FakeBusinessConnectors } from '../../../fakes/in-memory-connector-queue.js';
import { insertJob } from '../../../fakes/in-memory-jobs.js';
import { NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { hallWithItem } from '../hall.scenario.js';

/**
 * An application that reached the transfer node of the dormitory system, its call queued as the
 * action that reached it queues it (ActOnTask's own test shows that), and the use case over `systems`.
 */
function setup(systems: ConstructorParameters<typeof FakeBusinessConnectors>[0]) {
  const definition = ProcessDefinitionMother.create({
    steps: [NodeMother.transfer({ key: 'dorm', name: '宿舍系统', connector: 'dormitory-system' })],
  });
  const s = hallWithItem({ definition });
  const a = s.submitted();
  const connectors = new FakeBusinessConnectors(systems);
  const uc = new CallBusinessSystemUseCase({ ...s.hall, connectors });
  // queued as the action that reached the node queues it (ActOnTask's own test shows that)
  const call: ConnectorCall = {
    applicationId: a.id,
    node: 'dorm',
    activation: 1,
    request: {
      requestId: 'call-1',
      connector: 'dormitory-system',
      caseNumber: a.current.caseNumber,
      applicationId: a.id,
      node: 'dorm',
      fields: { room: a.current.form.room },
      applicant: { ...a.current.applicant },
    },
  };
  insertJob(s.hall.db.state, {
    queue: 'connector-call',
    id: 'call-1',
    data: call as unknown as Record<string, unknown>,
  });
  const queued = () => s.hall.jobs('connector-call')[0]!;
  /** The queued call as a worker holds it on its `attempt`-th attempt of `attempts`. */
  const job = (attempt: number, attempts = queued().retryLimit + 1): ConnectorCallJob => {
    s.hall.seed.activeJob('connector-call', queued().id);
    queued().retryCount = attempt - 1;
    return {
      queue: 'connector-call',
      id: queued().id,
      attempt,
      attempts,
      call: structuredClone(queued().data) as unknown as ConnectorCall,
    };
  };
  return { ...s, a, connectors, uc, job, queued };
}

const failing = () => {
  throw new Error('503 Service Unavailable');
};

describe('CallBusinessSystemUseCase', () => {
  it('sends the queued call, and records the answer in the history and the audit log as the system, ending the job with them', async () => {
    const { hall, a, uc, connectors, job, queued } = setup({ 'dormitory-system': () => 'DORM-2026-0042' });
    const j = job(1);
    expect(await uc.call(j)).to.equal('sent');
    expect(connectors.sent.map((r) => [r.requestId, r.applicationId, r.node, r.caseNumber])).to.deep.equal([
      [j.id, a.id, 'dorm', '2026-CW-000001'],
    ]);
    expect(hall.stored(a.id).history.at(-1)).to.deep.include({
      action: 'connector-succeeded',
      actor: 'system',
      node: 'dorm',
      detail: { connector: 'dormitory-system', reference: 'DORM-2026-0042' },
    });
    expect(hall.audit.map((e) => [e.action, e.actorId, e.requestId, e.entityId])).to.deep.equal([
      ['connector.succeeded', 'system', 'connector-call', a.id],
    ]);
    expect(hall.outbox.map((e) => e.payload)).to.deep.equal([
      { actor: 'system', connector: 'dormitory-system', node: 'dorm', requestId: j.id },
    ]);
    expect(queued().state).to.equal('completed');
  });

  it("a failed attempt before the last fails the job for the queue's back-off and leaves the application alone", async () => {
    const { hall, a, uc, job, queued } = setup({ 'dormitory-system': failing });
    const historyBefore = hall.stored(a.id).history.length;
    expect(await uc.call(job(1))).to.equal('failed');
    expect(queued()).to.deep.include({ state: 'retry', error: '503 Service Unavailable' });
    expect([hall.stored(a.id).history.length, hall.audit.length]).to.deep.equal([historyBefore, 0]);
  });

  it("gives up after the last attempt, and the history and the audit log say so; the unit's own task stands", async () => {
    const { hall, a, uc, job, queued } = setup({});
    const attempts = queued().retryLimit + 1;
    expect(await uc.call(job(attempts))).to.equal('abandoned');
    const last = hall.stored(a.id).history.at(-1)!;
    expect(last).to.deep.include({ action: 'connector-failed', node: 'dorm' });
    expect(last.detail!.error).to.equal(`gave up after ${attempts} attempts: unknown connector 'dormitory-system'`);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['connector.abandoned']);
    expect(queued().state).to.equal('failed');
    expect(
      hall
        .stored(a.id)
        .props.tasks.filter((t) => t.status === 'open')
        .map((t) => t.nodeKey),
    ).to.deep.equal(['dorm']);
  });

  it('a refusal for good is recorded at once and ends the job: no retry would change the answer', async () => {
    const { hall, a, uc, job, queued } = setup({
      'dormitory-system': () => {
        throw new ConnectorRejectedError('no such building');
      },
    });
    expect(await uc.call(job(1))).to.equal('abandoned');
    expect(hall.stored(a.id).history.at(-1)).to.deep.include({ action: 'connector-failed', node: 'dorm' });
    expect(hall.stored(a.id).history.at(-1)!.detail!.error).to.equal('refused: no such building');
    expect([hall.audit.map((e) => e.action), queued().state]).to.deep.equal([['connector.abandoned'], 'completed']);
  });

  it('a call whose application is gone ends its job without recording anything', async () => {
    const { hall, a, uc, job, queued } = setup({ 'dormitory-system': () => 'DORM-1' });
    const j = job(1);
    hall.db.state.applications.delete(a.id);
    expect(await uc.call(j)).to.equal('sent');
    expect([hall.audit.length, queued().state]).to.deep.equal([0, 'completed']);
  });
});
