import { expect } from 'chai';
import {
  DispatchConnectorRequestsUseCase, MAX_CONNECTOR_ATTEMPTS, retryDelayMs,
} from '../../../../src/application/applications/dispatch-connector-requests/dispatch-connector-requests.use-case.js';
import { FakeBusinessConnectors } from '../../../fakes/in-memory-connector-queue.js';
import { NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { hallWithItem } from '../hall.scenario.js';

/**
 * An application that reached the transfer node of the dormitory system, its call queued as the
 * action that reached it queued it (ActOnTask's own test shows that), and a dispatcher over `systems`.
 */
function setup(systems: ConstructorParameters<typeof FakeBusinessConnectors>[0]) {
  const definition = ProcessDefinitionMother.create({ steps: [NodeMother.transfer({ key: 'dorm', name: '宿舍系统', connector: 'dormitory-system' })] });
  const s = hallWithItem({ definition });
  const a = s.submitted();
  const id = globalThis.crypto.randomUUID();
  s.hall.db.state.connectorRequests.set(id, {
    id, applicationId: a.id, node: 'dorm', activation: 1, connector: 'dormitory-system', attempts: 0,
    payload: { requestId: id, connector: 'dormitory-system', caseNumber: a.current.caseNumber, applicationId: a.id, node: 'dorm', form: a.current.form, applicant: { ...a.current.applicant } },
    status: 'pending', nextAttemptAt: s.hall.clock.now(), leasedUntil: null, reference: null, lastError: null,
  });
  const connectors = new FakeBusinessConnectors(systems);
  const uc = new DispatchConnectorRequestsUseCase({ ...s.hall, connectors });
  return { ...s, a, id, connectors, uc, request: () => s.hall.db.state.connectorRequests.get(id)! };
}

const failing = () => { throw new Error('503 Service Unavailable'); };

describe('DispatchConnectorRequestsUseCase', () => {
  it('sends a due call, and records the answer in the history and the audit log as the system', async () => {
    const { hall, a, uc, connectors, request } = setup({ 'dormitory-system': () => 'DORM-2026-0042' });
    expect(await uc.runOnce()).to.deep.equal({ sent: 1, failed: 0, abandoned: 0 });
    expect(connectors.sent.map((r) => [r.applicationId, r.node, r.caseNumber])).to.deep.equal([[a.id, 'dorm', '2026-CW-000001']]);
    expect(request()).to.deep.include({ status: 'succeeded', reference: 'DORM-2026-0042', attempts: 1, leasedUntil: null });
    expect(hall.stored(a.id).history.at(-1)).to.deep.include({
      action: 'connector-succeeded', actor: 'system', node: 'dorm', detail: { connector: 'dormitory-system', reference: 'DORM-2026-0042' },
    });
    expect(hall.audit.map((e) => [e.action, e.actorId, e.requestId, e.entityId])).to.deep.equal([['connector.succeeded', 'system', 'connector-dispatcher', a.id]]);
    expect(hall.outbox.map((e) => e.payload)).to.deep.equal([{ actor: 'system', connector: 'dormitory-system', node: 'dorm' }]);
    expect(await uc.runOnce(), 'sent once').to.deep.equal({ sent: 0, failed: 0, abandoned: 0 });
  });

  it('backs off after a failure, leaves the application alone, and tries again once due', async () => {
    const { hall, a, uc, request } = setup({ 'dormitory-system': failing });
    const historyBefore = hall.stored(a.id).history.length;
    expect(await uc.runOnce()).to.deep.equal({ sent: 0, failed: 1, abandoned: 0 });
    expect(request()).to.deep.include({ status: 'pending', attempts: 1, lastError: '503 Service Unavailable', nextAttemptAt: new Date(hall.clock.now().getTime() + 30_000) });
    expect([hall.stored(a.id).history.length, hall.audit.length]).to.deep.equal([historyBefore, 0]);
    expect(await uc.runOnce(), 'not due yet').to.deep.equal({ sent: 0, failed: 0, abandoned: 0 });
    hall.clock.advance({ minutes: 1 });
    expect(await uc.runOnce()).to.deep.equal({ sent: 0, failed: 1, abandoned: 0 });
    expect(request().attempts).to.equal(2);
  });

  it(`gives up after ${MAX_CONNECTOR_ATTEMPTS} attempts, and the history says so; the unit's own task stands`, async () => {
    const { hall, a, uc, request } = setup({});
    request().attempts = MAX_CONNECTOR_ATTEMPTS - 1;
    expect(await uc.runOnce()).to.deep.equal({ sent: 0, failed: 0, abandoned: 1 });
    expect(request().status).to.equal('abandoned');
    const last = hall.stored(a.id).history.at(-1)!;
    expect(last).to.deep.include({ action: 'connector-failed', node: 'dorm' });
    expect(last.detail!.error).to.equal(`gave up after ${MAX_CONNECTOR_ATTEMPTS} attempts: unknown connector 'dormitory-system'`);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['connector.abandoned']);
    expect(hall.stored(a.id).props.tasks.filter((t) => t.status === 'open').map((t) => t.nodeKey)).to.deep.equal(['dorm']);
  });

  it('doubles the wait from 30 seconds, up to an hour', () => {
    expect([1, 2, 3, 8, 20].map(retryDelayMs)).to.deep.equal([30_000, 60_000, 120_000, 3_600_000, 3_600_000]);
  });
});
