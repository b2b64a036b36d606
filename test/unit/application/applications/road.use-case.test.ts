import { expect } from 'chai';
import { ApplicationRoadUseCase } from '../../../../src/application/applications/road.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

/** apply -> check (finance pool) -> second (finance pool) -> nobody (a pool nobody holds) -> done (the colleague). */
const definition = () =>
  ProcessDefinitionMother.create({
    steps: [
      NodeMother.review({ key: 'check' }),
      NodeMother.review({ key: 'second' }),
      NodeMother.approve({ key: 'nobody', handlers: HandlersMother.role('handler', 'logistics') }),
      NodeMother.review({ key: 'big', condition: { '>': [{ var: 'form.amount' }, 5000] } }),
    ],
    complete: NodeMother.complete({ handlers: HandlersMother.people(cast.colleague.id) }),
  });

describe('ApplicationRoadUseCase (handlers of the road ahead, resolved as the engine resolves them)', () => {
  it('a pool with its active members by name, never the applicant; nobody resolving: the owning unit’s service admins', async () => {
    const s = hallWithItem({ definition: definition() });
    // a finance handler applies: the finance pool ahead goes to their colleague only
    const a = s.stored((w) => ApplicationMother.submitted(w), cast.handler);
    const uc = new ApplicationRoadUseCase(s.hall);
    const road = value(await uc.road({ actor: ActorMother.of(cast.handler.id), applicationId: a.id }));
    expect(road.current.map((c) => c.node)).to.deep.equal(['check']);
    expect(road.ahead.map((n) => `${n.node}:${n.status}`)).to.deep.equal([
      'second:ahead',
      'nobody:ahead',
      'big:skipped',
      'done:ahead',
    ]);
    const by = Object.fromEntries(road.ahead.map((n) => [n.node, n.handlers]));
    expect(by.second).to.deep.equal({
      kind: 'pool',
      role: 'handler',
      unit: 'finance',
      people: [{ id: cast.colleague.id, name: cast.colleague.name, substituteFor: null }],
    });
    expect(by.nobody).to.deep.equal({
      kind: 'escalated',
      role: 'unit-service-admin',
      unit: 'finance',
      people: [{ id: cast.admin.id, name: cast.admin.name, substituteFor: null }],
    });
    expect(by.big).to.equal(null);
    expect(by.done).to.deep.include({ kind: 'people', role: null, unit: null });
    expect(road.path.map((p) => [p.node, p.outcome, p.actors.map((x) => x.name)])).to.deep.equal([
      ['apply', 'submitted', [cast.handler.name]],
    ]);
  });

  it('who may not read the progress reads neither the road nor the diagram', async () => {
    const s = hallWithItem({ definition: definition() });
    const a = s.submitted();
    const uc = new ApplicationRoadUseCase(s.hall);
    const input = { actor: ActorMother.of(cast.outsider.id), applicationId: a.id };
    expect(failure(await uc.road(input)).code).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.diagram(input)).code).to.equal('AUTH.FORBIDDEN');
    const d = value(await uc.diagram({ actor: ActorMother.of(cast.auditor.id), applicationId: a.id }));
    expect(d.nodes.map((n) => `${n.key}:${n.state}`)).to.deep.equal([
      'apply:passed',
      'check:active',
      'second:ahead',
      'nobody:ahead',
      'big:skipped',
      'done:ahead',
    ]);
  });
});
