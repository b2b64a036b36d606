import { isCalendarDate } from '../../domain/shared/calendar-date.js';
import { InputError, NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Absence } from '../ports/absences.port.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import { isActiveStaff } from '../../domain/people/active-staff.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';

/**
 * Time-boxed delegation while absent: a handler names a substitute for a date range; tasks that
 * would be theirs in that range go to the substitute (marked SUBSTITUTE_FOR), and come back to
 * them afterwards. Audited.
 */
export class AbsenceUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; organisation: Organisation; clock: Clock }) {}

  async set(input: {
    actor: Actor;
    substitute: string;
    from: string;
    to: string;
  }): Promise<Result<Absence, InputError>> {
    const problems = [];
    const sub = await this.deps.organisation.person(input.substitute);
    if (!sub || !isActiveStaff(sub) || sub.id === input.actor.personId) {
      problems.push({ path: '/substitute', message: `${input.substitute} is not another active staff member` });
    }
    for (const f of ['from', 'to'] as const)
      if (!isCalendarDate(input[f]))
        problems.push({ path: `/${f}`, message: 'is not a date of the calendar (YYYY-MM-DD)' });
    if (!problems.some((p) => p.path !== '/substitute') && input.to < input.from)
      problems.push({ path: '/to', message: 'is before from' });
    if (problems.length) return err(new InputError('ABSENCE.INVALID', 'The absence cannot be set', problems));
    const a: Absence = {
      personId: input.actor.personId,
      substituteId: input.substitute,
      from: input.from,
      to: input.to,
    };
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      await scope.absences.set(a, at);
      await audit(scope, input.actor, 'absence.set', a, at);
      return ok(a);
    });
  }

  async clear(input: { actor: Actor }): Promise<Result<{ cleared: true }, NotFoundError>> {
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      if (!(await scope.absences.clear(input.actor.personId)))
        return err(new NotFoundError('ABSENCE.NOT_SET', 'no absence is set'));
      await audit(scope, input.actor, 'absence.cleared', null, at);
      return ok({ cleared: true as const });
    });
  }
}

/** The change, its audit entry and its outbox event commit together. */
async function audit(
  scope: TransactionScope,
  actor: Actor,
  action: string,
  after: Absence | null,
  at: Date,
): Promise<void> {
  await recordChange(scope, {
    actor,
    action,
    entityType: 'person',
    entityId: actor.personId,
    unit: null,
    before: null,
    after,
    at,
  });
}
