import { InputError, NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Absence, Absences } from '../ports/absences.port.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';

/**
 * Time-boxed delegation while absent: a handler names a substitute for a date range; tasks that
 * would be theirs in that range go to the substitute (marked SUBSTITUTE_FOR), and come back to
 * them afterwards. Audited.
 */
export class AbsenceUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; organisation: Organisation; clock: Clock; absences: Absences }) {}

  async set(input: { actor: Actor; substitute: string; from: string; to: string }): Promise<Result<Absence, InputError>> {
    const problems = [];
    const sub = await this.deps.organisation.person(input.substitute);
    if (!sub || sub.type !== 'staff' || sub.status !== 'active' || sub.id === input.actor.personId) {
      problems.push({ path: '/substitute', message: `${input.substitute} is not another active staff member` });
    }
    if (input.to < input.from) problems.push({ path: '/to', message: 'is before from' });
    if (problems.length) return err(new InputError('ABSENCE.INVALID', 'The absence cannot be set', problems));
    const a: Absence = { personId: input.actor.personId, substituteId: input.substitute, from: input.from, to: input.to };
    const at = this.deps.clock.now();
    await this.deps.absences.set(a, at);
    await this.audit(input.actor, 'absence.set', a, at);
    return ok(a);
  }

  async clear(input: { actor: Actor }): Promise<Result<{ cleared: true }, NotFoundError>> {
    if (!(await this.deps.absences.clear(input.actor.personId))) return err(new NotFoundError('ABSENCE.NOT_SET', 'no absence is set'));
    await this.audit(input.actor, 'absence.cleared', null, this.deps.clock.now());
    return ok({ cleared: true });
  }

  private async audit(actor: Actor, action: string, after: Absence | null, at: Date): Promise<void> {
    await this.deps.uow.run(async (scope) => { await scope.audit.record({ actorId: actor.personId, action, entityType: 'person', entityId: actor.personId, after, at, requestId: actor.requestId }); });
  }
}
