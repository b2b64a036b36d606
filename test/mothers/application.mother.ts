import { Application } from '../../src/domain/application/application.entity.js';
import type { EngineContext } from '../../src/domain/application/application-state.js';
import { WorkingCalendar } from '../../src/domain/calendar/working-calendar.js';
import type { ProcessDefinition } from '../../src/domain/process-definition/process-definition.js';
import type { Person } from '../../src/application/ports/organisation.port.js';

const SUBMITTED = new Date('2026-11-23T02:00:00.000Z');
const weekendsOnly = new WorkingCalendar([]);

export interface ApplicationWorld {
  itemId: string;
  owningUnit: string;
  versionId: string;
  definition: ProcessDefinition;
  applicant: Person;
  /** Who holds each role pool, by `role@unit`: the engine offers pool steps to them. */
  pools?: Record<string, string[]>;
}

/**
 * The engine's outside world for one application, as the application layer resolves it (but with
 * no absences, every condition holding, and due dates on a weekends-only calendar).
 */
export function engineContextFor(w: ApplicationWorld, at: Date): EngineContext {
  return {
    resolve: (key) => {
      const rule = w.definition.nodes.find((n) => n.key === key)?.handlers;
      if (!rule) return { kind: 'people', people: [] };
      if (rule.type === 'people') return { kind: 'people', people: [...rule.people] };
      const unit = rule.unit.startsWith('$applicant.') ? w.applicant.unit : rule.unit;
      return { kind: 'pool', role: rule.role, unit, people: [...(w.pools?.[`${rule.role}@${unit}`] ?? [])] };
    },
    applies: () => true,
    flowHolds: () => true,
    escalation: { role: 'unit-service-admin', unit: w.owningUnit },
    newId: () => globalThis.crypto.randomUUID(),
    at,
    dueAt: (key) => {
      const limit = w.definition.nodes.find((n) => n.key === key)?.timeLimit;
      if (!limit) return null;
      return 'workingDays' in limit
        ? weekendsOnly.addWorkingDays(at, limit.workingDays)
        : new Date(at.getTime() + limit.hours * 3_600_000);
    },
  };
}

const ok = (r: { ok: boolean; error?: Error }, what: string) => {
  if (!r.ok) throw new Error(`ApplicationMother could not ${what}: ${r.error?.message}`);
};

/** Applications at the steps the tests start from, built through the engine so they are always consistent. */
export const ApplicationMother = {
  draft(w: ApplicationWorld, o: { form?: Record<string, unknown>; at?: Date } = {}): Application {
    return Application.draft(
      {
        id: globalThis.crypto.randomUUID(),
        itemId: w.itemId,
        owningUnit: w.owningUnit,
        versionId: w.versionId,
        applicant: { id: w.applicant.id, type: w.applicant.type, unit: w.applicant.unit },
        form: o.form ?? { amount: 1280.5, purpose: '赴京参会' },
        at: o.at ?? SUBMITTED,
      },
      w.definition,
    );
  },

  /** Submitted and waiting at the first step. */
  submitted(
    w: ApplicationWorld,
    o: { form?: Record<string, unknown>; at?: Date; caseNumber?: string } = {},
  ): Application {
    const at = o.at ?? SUBMITTED;
    const a = ApplicationMother.draft(w, { ...o, at });
    ok(a.submit(o.caseNumber ?? '2026-CW-000001', engineContextFor(w, at)), 'submit');
    return a;
  },

  /** Handled step by step (pool steps claimed by their first holder) until `until` is the active node, or to the end. */
  handled(w: ApplicationWorld, o: { until?: string; form?: Record<string, unknown>; at?: Date } = {}): Application {
    const a = ApplicationMother.submitted(w, o);
    const ctx = engineContextFor(w, o.at ?? SUBMITTED);
    for (let guard = 0; a.state === 'in_progress' && a.activeNode !== o.until; guard++) {
      if (guard > 50) throw new Error('ApplicationMother: the process does not end');
      const task = a.tasks.find((t) => t.status === 'open')!;
      const person = task.assignee ?? w.pools?.[`${task.candidate!.role}@${task.candidate!.unit}`]?.[0];
      if (!person) throw new Error(`ApplicationMother: nobody holds ${task.candidate!.role}@${task.candidate!.unit}`);
      if (!task.assignee) ok(a.claim(task.id, person, true, ctx.at), 'claim');
      ok(a.approve(task.id, person, '同意', ctx), 'approve');
    }
    return a;
  },

  completed(w: ApplicationWorld, o: { form?: Record<string, unknown>; at?: Date } = {}): Application {
    const a = ApplicationMother.handled(w, o);
    if (a.state !== 'completed') throw new Error(`ApplicationMother: ended ${a.state}, not completed`);
    return a;
  },
};
