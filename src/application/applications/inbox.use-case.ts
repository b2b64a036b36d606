import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { InboxTask, TaskInbox } from '../ports/application.repository.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { Clock } from '../ports/clock.port.js';

/** The role pools a person draws tasks from: their roles in a unit (a university-wide role offers no pool). */
export async function poolsOf(
  enforcer: PolicyEnforcer,
  person: string,
): Promise<Array<{ role: string; unit: string }>> {
  return (await enforcer.rolesOf({ subject: person }))
    .filter((r) => r.unit !== ALL_UNITS)
    .map(({ role, unit }) => ({ role, unit }));
}

/** 待办: tasks assigned to me and tasks offered to the role pools I belong to (claim first). */
export class InboxUseCase {
  constructor(private readonly deps: { inbox: TaskInbox; enforcer: PolicyEnforcer; clock: Clock }) {}

  private pools(person: string) {
    return poolsOf(this.deps.enforcer, person);
  }

  /** My tasks, each with its due time and whether it is overdue now. */
  async list(input: {
    actor: Actor;
    limit: number;
    cursor?: string;
  }): Promise<Result<{ items: Array<InboxTask & { overdue: boolean }>; nextCursor: string | null }, never>> {
    const person = input.actor.personId;
    const page = await this.deps.inbox.list({
      person,
      pools: await this.pools(person),
      limit: input.limit,
      cursor: input.cursor,
    });
    const now = this.deps.clock.now().getTime();
    return ok({
      ...page,
      items: page.items.map((i) => ({ ...i, overdue: i.dueAt !== null && Date.parse(i.dueAt) < now })),
    });
  }

  async count(input: { actor: Actor }): Promise<Result<{ assigned: number; claimable: number; total: number }, never>> {
    const person = input.actor.personId;
    const c = await this.deps.inbox.count({ person, pools: await this.pools(person) });
    return ok({ ...c, total: c.assigned + c.claimable });
  }
}
