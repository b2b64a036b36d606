import { InputError, type NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { ConcurrentUse, SignIn, SignInLog } from '../ports/sign-ins.port.js';
import { authorize } from '../shared/authorize.js';

const DAY_MS = 86_400_000;
/** Without a range: the last 30 days. A range is at most a year. */
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

/**
 * Misuse of an account is traceable (Art. 15, 19): the IT Center and auditors list a person's
 * sign-ins (when, how, from which address, with which client) and find accounts used at the same
 * time from different addresses.
 */
export class SignInsUseCase {
  constructor(private readonly deps: { log: SignInLog; enforcer: PolicyEnforcer; clock: Clock }) {}

  async ofPerson(input: {
    actor: Actor;
    personId: string;
    from?: Date;
    to?: Date;
    limit: number;
  }): Promise<Result<{ items: SignIn[] }, NotAllowedError | InputError>> {
    const range = await this.allowed(input);
    if (!range.ok) return range;
    return ok({
      items: await this.deps.log.ofPerson({ personId: input.personId, ...range.value, limit: input.limit }),
    });
  }

  async concurrent(input: {
    actor: Actor;
    from?: Date;
    to?: Date;
    limit: number;
  }): Promise<Result<{ items: ConcurrentUse[] }, NotAllowedError | InputError>> {
    const range = await this.allowed(input);
    if (!range.ok) return range;
    return ok({ items: await this.deps.log.concurrent({ ...range.value, limit: input.limit }) });
  }

  private async allowed(input: {
    actor: Actor;
    from?: Date;
    to?: Date;
  }): Promise<Result<{ from: Date; to: Date }, NotAllowedError | InputError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'sign-in',
      action: 'read',
    });
    if (!allowed.ok) return allowed;
    const to = input.to ?? this.deps.clock.now();
    const from = input.from ?? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
    if (from >= to)
      return err(
        new InputError('SIGN_IN.BAD_RANGE', 'from is not before to', [{ path: '/from', message: 'must be before to' }]),
      );
    if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS)
      return err(
        new InputError('SIGN_IN.BAD_RANGE', `at most ${MAX_DAYS} days at a time`, [
          { path: '/from', message: `must be at most ${MAX_DAYS} days before to` },
        ]),
      );
    return ok({ from, to });
  }
}
