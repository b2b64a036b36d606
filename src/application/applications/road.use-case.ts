import type { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import type { Application } from '../../domain/application/application.entity.js';
import type { EngineContext, HistoryEntry } from '../../domain/application/application-state.js';
import { pathTaken, type PathStep } from '../../domain/application/path-taken.js';
import { processDiagram, type Diagram } from '../../domain/application/process-diagram.js';
import { roadAhead, type Road, type RoadNode } from '../../domain/application/road-ahead.js';
import { isActiveStaff } from '../../domain/people/active-staff.js';
import { isGatewayKind, nodeByKey, type NodeKind } from '../../domain/process-definition/process-definition.js';
import type { NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { ConditionEvaluator } from '../ports/condition-evaluator.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { forbidden, loadApplication, readerOf } from './application-access.js';
import { engineContextOf } from './engine-context.js';
import { skipsApplicant } from '../../domain/application/process-run.js';

export interface NamedPerson {
  id: string;
  /** The name the hall knows; the id when it knows none. */
  name: string;
}

/** Who a step still to come would go to, resolved as the engine would resolve it now. */
export interface HandlersAhead {
  /** people: named in the rule; pool: a role pool and its current active members; escalated: nobody resolves, so the owning unit's service admins. */
  kind: 'people' | 'pool' | 'escalated';
  role: string | null;
  unit: string | null;
  people: Array<NamedPerson & { substituteFor: string | null }>;
}

export interface RoadView {
  applicationId: string;
  state: Application['state'];
  /** The steps passed (and passed by, returned at, rejected at), in the order the history recorded them. */
  path: Array<Omit<PathStep, 'actors'> & { actors: Array<NamedPerson & { outcome: string; at: string | null }> }>;
  /** The steps it waits at now. */
  current: Array<{ node: string; name: string; kind: NodeKind }>;
  /** The steps still to come, in flow order, each with the handlers it would go to (null for gateways and steps skipped). */
  ahead: Array<RoadNode & { handlers: HandlersAhead | null }>;
}

/**
 * The road of one application (the approval detail of 已办/待办/后续 nodes): the path it has taken,
 * where it waits, and the road ahead with the handlers each step would go to; and its diagram. Read
 * by whoever may read its progress. Handlers are resolved as the engine resolves them (the applicant
 * never; substitutes for people away; the owning unit's service admins when nobody resolves).
 */
export class ApplicationRoadUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      enforcer: PolicyEnforcer;
      conditions: ConditionEvaluator;
      calendar: WorkingCalendar;
      clock: Clock;
    },
  ) {}

  async road(input: {
    actor: Actor;
    applicationId: string;
  }): Promise<Result<RoadView, NotFoundError | NotAllowedError>> {
    return this.deps.uow.run(async (scope) => {
      const found = await this.load(scope, input);
      if (!found.ok) return found;
      const { a, ctx, history, road } = found.value;
      const applicant = a.applicantId;
      const steps = pathTaken(a.process, history, a.tasks);
      const handlers = new Map<string, HandlersAhead>();
      // the owning unit's service admins, looked up once for every step nobody resolves to
      let escalatedTo: string[] | undefined;
      for (const n of road.nodes) {
        if (n.status !== 'ahead' || isGatewayKind(n.kind)) continue;
        const r = ctx.resolve(n.node);
        const people = r.people.filter((p) => p !== applicant);
        const substituteFor = r.substituteFor ?? {};
        if (people.length)
          handlers.set(n.node, {
            kind: r.kind,
            role: r.kind === 'pool' ? r.role : null,
            unit: r.kind === 'pool' ? r.unit : null,
            people: people.map((id) => ({ id, name: id, substituteFor: substituteFor[id] ?? null })),
          });
        else {
          const { role, unit } = ctx.escalation;
          escalatedTo ??= (await this.deps.enforcer.holders({ role, unit })).filter((p) => p !== applicant);
          const admins = escalatedTo;
          handlers.set(n.node, {
            kind: 'escalated',
            role,
            unit,
            people: admins.map((id) => ({ id, name: id, substituteFor: null })),
          });
        }
      }
      // every name in one look-up; a service admin who is no longer active staff is not listed
      const ids = new Set([
        ...steps.flatMap((s) => s.actors.map((x) => x.person)),
        ...[...handlers.values()].flatMap((h) => h.people.map((p) => p.id)),
      ]);
      const known = new Map((ids.size ? await scope.organisation.people([...ids]) : []).map((p) => [p.id, p]));
      const nameOf = (id: string) => known.get(id)?.name ?? id;
      for (const h of handlers.values()) {
        if (h.kind === 'escalated')
          h.people = h.people.filter((p) => {
            const person = known.get(p.id);
            return !!person && isActiveStaff(person);
          });
        for (const p of h.people) p.name = nameOf(p.id);
      }
      return ok({
        applicationId: a.id,
        state: a.state,
        path: steps.map((s) => ({
          ...s,
          actors: s.actors.map((x) => ({ id: x.person, name: nameOf(x.person), outcome: x.outcome, at: x.at })),
        })),
        current: a.activeNodes.map((k) => {
          const node = nodeByKey(a.process, k)!;
          return { node: k, name: node.name, kind: node.kind };
        }),
        ahead: road.nodes.map((n) => ({ ...n, handlers: handlers.get(n.node) ?? null })),
      });
    });
  }

  /** The diagram: every node of its process placed, with where the application stands with it. */
  async diagram(input: {
    actor: Actor;
    applicationId: string;
  }): Promise<
    Result<Diagram & { applicationId: string; state: Application['state'] }, NotFoundError | NotAllowedError>
  > {
    return this.deps.uow.run(async (scope) => {
      const found = await this.load(scope, input);
      if (!found.ok) return found;
      const { a, history, road } = found.value;
      return ok({ applicationId: a.id, state: a.state, ...processDiagram(a.process, a.current, history, road) });
    });
  }

  /** The application, if this person may read its progress, with its whole history and its road ahead. */
  private async load(
    scope: TransactionScope,
    input: { actor: Actor; applicationId: string },
  ): Promise<
    Result<{ a: Application; ctx: EngineContext; history: HistoryEntry[]; road: Road }, NotFoundError | NotAllowedError>
  > {
    const found = await loadApplication(scope.applications, input.applicationId);
    if (!found.ok) return found;
    const a = found.value;
    if (!(await readerOf({ enforcer: this.deps.enforcer, scope }, input.actor.personId, a))) return forbidden();
    const p = a.current;
    const ctx = await engineContextOf(this.deps, scope.organisation, a, this.deps.clock.now());
    const history = await scope.applications.entries(a.id);
    const road = roadAhead(a.process, p, {
      applies: ctx.applies,
      flowHolds: ctx.flowHolds,
      applicantSkips: (k) => skipsApplicant(nodeByKey(a.process, k)!, p.applicant.id, ctx),
    });
    return ok({ a, ctx, history, road });
  }
}
