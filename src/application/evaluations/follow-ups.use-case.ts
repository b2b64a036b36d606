import type { FollowUpProps, FollowUpStatus } from '../../domain/evaluation/follow-up.entity.js';
import { NotAllowedError, NotFoundError, type ConflictError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';

const view = (p: FollowUpProps) => ({
  ...p,
  dueAt: p.dueAt.toISOString(),
  createdAt: p.createdAt.toISOString(),
  closedAt: p.closedAt?.toISOString() ?? null,
});
export type FollowUpView = ReturnType<typeof view>;

/** Follow-ups (整改) of bad ratings: the owning unit's service admins see and resolve theirs; the offices see all. */
export class FollowUpsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock }) {}

  private async units(person: string): Promise<string[] | 'all'> {
    if (await this.deps.enforcer.can({ subject: person, unit: ALL_UNITS, object: 'application', action: 'read' }))
      return 'all';
    return (await this.deps.enforcer.rolesOf({ subject: person }))
      .filter((r) => r.role === 'unit-service-admin')
      .map((r) => r.unit);
  }

  async list(input: {
    actor: Actor;
    status?: FollowUpStatus;
    limit: number;
  }): Promise<Result<{ items: FollowUpView[] }, never>> {
    const units = await this.units(input.actor.personId);
    return this.deps.uow.run(async (scope) =>
      ok({
        items: (await scope.followUps.list({ units, status: input.status, limit: input.limit })).map((f) =>
          view(f.snapshot()),
        ),
      }),
    );
  }

  async resolve(input: {
    actor: Actor;
    followUpId: string;
    resolution: string;
  }): Promise<Result<FollowUpView, NotFoundError | NotAllowedError | ConflictError>> {
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const f = await scope.followUps.findById(input.followUpId);
      if (!f) return err(new NotFoundError('FOLLOW_UP.NOT_FOUND', `follow-up '${input.followUpId}' does not exist`));
      const roles = await this.deps.enforcer.rolesOf({ subject: input.actor.personId });
      if (!roles.some((r) => r.role === 'unit-service-admin' && r.unit === f.owningUnit)) {
        return err(
          new NotAllowedError('FOLLOW_UP.NOT_UNIT_ADMIN', "the owning unit's service admin resolves its follow-ups"),
        );
      }
      const before = f.snapshot();
      const r = f.resolve(input.actor.personId, input.resolution, at);
      if (!r.ok) return r;
      await scope.followUps.put(f);
      await recordChange(scope, {
        actor: input.actor,
        action: 'follow-up.resolved',
        entityType: 'follow-up',
        entityId: f.id,
        unit: f.owningUnit,
        before,
        after: f.snapshot(),
        at,
        event: { applicationId: before.applicationId },
      });
      return ok(view(f.snapshot()));
    });
  }
}
