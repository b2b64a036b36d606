import type { EngineContext, ResolvedHandlers } from '../../domain/application/application-state.js';
import type { ProcessDefinition } from '../../domain/process-definition/process-definition.js';
import type { Application } from '../../domain/application/application.entity.js';
import type { Organisation } from '../ports/organisation.port.js';
import { isActiveStaff } from '../../domain/people/active-staff.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { ConditionEvaluator } from '../ports/condition-evaluator.port.js';
import { chinaDate, type WorkingCalendar } from '../../domain/calendar/working-calendar.js';

/**
 * Resolves every node's handlers for one applicant up front (policy look-ups are in memory, people
 * and their stand-ins come in one query), so the engine itself stays pure and synchronous.
 * `people`: the organisation as the caller's transaction sees it (never a second connection).
 */
export async function engineContext(
  deps: { enforcer: PolicyEnforcer; conditions: ConditionEvaluator; calendar: WorkingCalendar },
  people: Pick<Organisation, 'onDuty'>,
  input: {
    definition: ProcessDefinition;
    applicant: { id: string; type: string; unit: string };
    form: Record<string, unknown>;
    owningUnit: string;
    at: Date;
  },
): Promise<EngineContext> {
  const raw = new Map<string, ResolvedHandlers>();
  for (const node of input.definition.nodes) {
    const rule = node.handlers;
    if (!rule) continue;
    if (rule.type === 'people') {
      raw.set(node.key, { kind: 'people', people: [...rule.people] });
    } else {
      // students belong to their college; staff to their unit
      const unit = rule.unit.startsWith('$applicant.') ? input.applicant.unit : rule.unit;
      raw.set(node.key, {
        kind: 'pool',
        role: rule.role,
        unit,
        people: await deps.enforcer.holders({ role: rule.role, unit }),
      });
    }
  }
  // time-boxed delegation: someone away today is replaced by their substitute
  const duty = await people.onDuty([...new Set([...raw.values()].flatMap((r) => r.people))], chinaDate(input.at));
  const away = duty.substitutes;
  // the engine leaves the applicant out of their own steps (or skips the step, if the node says so)
  const able = new Set(duty.people.filter(isActiveStaff).map((p) => p.id));
  const resolved = new Map(
    [...raw].map(([k, r]) => {
      const substituteFor: Record<string, string> = {};
      const list: string[] = [];
      for (const id of r.people) {
        const sub = away.get(id);
        const who = sub && able.has(sub) ? sub : id;
        if (who !== id) substituteFor[who] = id;
        if (able.has(who) && !list.includes(who)) list.push(who);
      }
      return [k, { ...r, people: list, ...(Object.keys(substituteFor).length ? { substituteFor } : {}) }];
    }),
  );
  const holds = (condition: Record<string, unknown> | undefined) =>
    !condition ||
    deps.conditions.holds(condition, {
      form: input.form,
      applicant: { type: input.applicant.type, unit: input.applicant.unit },
    });
  return {
    resolve: (key) => resolved.get(key) ?? { kind: 'people', people: [] },
    applies: (key) => holds(input.definition.nodes.find((n) => n.key === key)?.condition),
    flowHolds: (gateway, target) => holds(input.definition.nodes.find((n) => n.key === gateway)?.conditions?.[target]),
    escalation: { role: 'unit-service-admin', unit: input.owningUnit },
    newId: () => globalThis.crypto.randomUUID(),
    at: input.at,
    dueAt: (key) => {
      const limit = input.definition.nodes.find((n) => n.key === key)?.timeLimit;
      if (!limit) return null;
      // working days on the university calendar; hours run on the clock
      return 'workingDays' in limit
        ? deps.calendar.addWorkingDays(input.at, limit.workingDays)
        : new Date(input.at.getTime() + limit.hours * 3_600_000);
    },
  };
}

/** The engine's context for an application as it stands, at `at`: its process, applicant, form and owning unit. */
export function engineContextOf(
  deps: { enforcer: PolicyEnforcer; conditions: ConditionEvaluator; calendar: WorkingCalendar },
  people: Pick<Organisation, 'onDuty'>,
  a: Application,
  at: Date,
): Promise<EngineContext> {
  const p = a.current;
  return engineContext(deps, people, {
    definition: a.process,
    applicant: p.applicant,
    form: p.form,
    owningUnit: a.owningUnit,
    at,
  });
}
