import { expect } from 'chai';
import { ApplicationMother, engineContextFor, type ApplicationWorld } from '../../mothers/application.mother.js';
import { PersonMother } from '../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../mothers/process-definition.mother.js';

const at = new Date('2026-11-25T02:00:00Z');
const handler = 'T0302';
const applicant = PersonMother.staff({ id: 'T0501', unit: 'college-info' });
const escalation = { role: 'unit-service-admin', unit: 'finance' };

/** One step per way a task can be a unit's work, each held by the handler. */
function application() {
  const definition = ProcessDefinitionMother.create({
    steps: [
      NodeMother.review({ key: 'pool' }),
      NodeMother.review({ key: 'own-unit', handlers: HandlersMother.role('handler', '$applicant.unit'), mode: 'all' }),
      NodeMother.review({ key: 'named', handlers: HandlersMother.people(handler) }),
    ],
  });
  const w: ApplicationWorld = {
    itemId: globalThis.crypto.randomUUID(),
    owningUnit: 'finance',
    versionId: globalThis.crypto.randomUUID(),
    definition,
    applicant,
    pools: { 'handler@finance': [handler], 'handler@college-info': [handler] },
  };
  return { a: ApplicationMother.submitted(w), w };
}

const live = (a: ReturnType<typeof application>['a'], node: string) =>
  a.tasks.find((t) => t.nodeKey === node && (t.status === 'open' || t.status === 'waiting'))!;

describe('hand-over (交接) of a change of post', () => {
  it("moves only the old unit's work: a pool's unit, a role step's unit (the applicant's own), else the owning unit", () => {
    const { a, w } = application();
    const pool = live(a, 'pool');
    expect(a.claim(pool.id, handler, true, at).ok).to.equal(true);
    expect(a.handOver(handler, 'T0303', escalation, at, 'college-info'), 'a finance pool task').to.deep.equal([]);
    expect(a.approve(pool.id, handler, undefined, engineContextFor(w, at)).ok).to.equal(true);
    const own = live(a, 'own-unit');
    expect([own.assignee, own.candidate]).to.deep.equal([handler, null]);
    expect(a.handOver(handler, 'T0303', escalation, at, 'finance'), "a step of the applicant's unit").to.deep.equal([]);
    expect(a.approve(own.id, handler, undefined, engineContextFor(w, at)).ok).to.equal(true);
    const named = live(a, 'named');
    expect(a.handOver(handler, 'T0303', escalation, at, 'college-info'), 'a step naming them').to.deep.equal([]);
    expect(a.handOver(handler, 'T0303', escalation, at, 'finance').map((m) => [m.node, m.to])).to.deep.equal([
      ['named', 'T0303'],
    ]);
    expect(live(a, 'named')).to.deep.include({ id: named.id, assignee: 'T0303' });
  });

  it("a role step's task held by name moves with that unit", () => {
    const { a, w } = application();
    const pool = live(a, 'pool');
    a.claim(pool.id, handler, true, at);
    a.approve(pool.id, handler, undefined, engineContextFor(w, at));
    expect(a.handOver(handler, null, escalation, at, 'college-info').map((m) => [m.node, m.to])).to.deep.equal([
      ['own-unit', 'unit-service-admin@finance'],
    ]);
  });

  it('a successor who is the applicant does not take the task: it goes back to its pool', () => {
    const { a } = application();
    const check = live(a, 'pool');
    a.claim(check.id, handler, true, at);
    expect(a.handOver(handler, applicant.id, escalation, at).map((m) => m.to)).to.deep.equal(['handler@finance']);
    expect(a.tasks.find((t) => t.id === check.id)).to.deep.include({ assignee: null, reason: 'HANDOVER' });
  });
});
