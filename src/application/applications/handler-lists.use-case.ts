import type { ApplicationState } from '../../domain/application/application-state.js';
import { InputError, type FieldProblem } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { TaskInbox } from '../ports/application.repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type {
  CopiedApplication,
  DoneOutcome,
  DoneTask,
  HandlerLists,
  ListFilter,
} from '../ports/handler-lists.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { Page } from '../ports/service-item.repository.port.js';
import { poolsOf } from './inbox.use-case.js';

/** The filters as a request carries them: instants as ISO strings. */
export interface ListQuery {
  limit: number;
  cursor?: string;
  itemId?: string;
  caseNumber?: string;
  from?: string;
  to?: string;
}

export interface TaskCounts {
  todo: { assigned: number; claimable: number; total: number; overdue: number };
  done: number;
  copied: number;
}

/** A time range runs forward: `to` after `from` (each an instant the HTTP layer already checked the form of). */
function range(q: ListQuery): Result<ListFilter, InputError> {
  const problems: FieldProblem[] = [];
  const at = (name: 'from' | 'to') => {
    const v = q[name];
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) problems.push({ in: 'query', path: `/${name}`, message: 'not an instant' });
    return d;
  };
  const from = at('from');
  const to = at('to');
  if (!problems.length && from && to && from.getTime() >= to.getTime())
    problems.push({ in: 'query', path: '/to', message: 'must be after from' });
  if (problems.length) return err(new InputError('LIST.BAD_FILTER', 'the filters are not valid', problems));
  return ok({
    ...(q.itemId !== undefined ? { itemId: q.itemId } : {}),
    ...(q.caseNumber !== undefined ? { caseNumber: q.caseNumber } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  });
}

/**
 * The handler's lists besides the inbox (待办): what I have done (已办), what was copied to me
 * (抄送我的), and the badge counts of all three. Always the signed-in person's own: no input names
 * another person, so nobody reads someone else's lists.
 */
export class HandlerListsUseCase {
  constructor(
    private readonly deps: { lists: HandlerLists; inbox: TaskInbox; enforcer: PolicyEnforcer; clock: Clock },
  ) {}

  async done(input: ListQuery & { actor: Actor; outcome?: DoneOutcome }): Promise<Result<Page<DoneTask>, InputError>> {
    const filter = range(input);
    if (!filter.ok) return filter;
    return ok(
      await this.deps.lists.done({
        person: input.actor.personId,
        filter: { ...filter.value, ...(input.outcome !== undefined ? { outcome: input.outcome } : {}) },
        limit: input.limit,
        cursor: input.cursor,
      }),
    );
  }

  async copied(
    input: ListQuery & { actor: Actor; state?: ApplicationState },
  ): Promise<Result<Page<CopiedApplication>, InputError>> {
    const filter = range(input);
    if (!filter.ok) return filter;
    return ok(
      await this.deps.lists.copied({
        person: input.actor.personId,
        filter: { ...filter.value, ...(input.state !== undefined ? { state: input.state } : {}) },
        limit: input.limit,
        cursor: input.cursor,
      }),
    );
  }

  /** 待办 (assigned, claimable, overdue among them), 已办 and 抄送 counts, for the portal's badges. */
  async counts(input: { actor: Actor }): Promise<Result<TaskCounts, never>> {
    const person = input.actor.personId;
    const pools = await poolsOf(this.deps.enforcer, person);
    const [todo, rest] = await Promise.all([
      this.deps.inbox.count({ person, pools }),
      this.deps.lists.counts({ person, pools, now: this.deps.clock.now() }),
    ]);
    return ok({
      todo: { ...todo, total: todo.assigned + todo.claimable, overdue: rest.overdue },
      done: rest.done,
      copied: rest.copied,
    });
  }
}
