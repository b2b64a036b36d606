import type { HistoryEntry } from '../../domain/application/application-state.js';
import type { NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { ReadTrail } from '../ports/read-trail.port.js';
import type { BusinessConnectors } from '../ports/business-connectors.port.js';
import { degradationOf, type Degradation } from '../service-items/degradation.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { forbidden, formSeenBy, loadApplication, mayRead, readerOf } from './application-access.js';
import { progressView, type ProgressView } from './application.view.js';

/** How much history the progress view carries; the rest is paged (GET …/history). */
export const PROGRESS_HISTORY_PAGE = 100;

/** Progress of one application: current steps, who holds them, and its history a page at a time. */
export class GetApplicationUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      enforcer: PolicyEnforcer;
      readTrail: ReadTrail;
      clock: Clock;
      connectors: Pick<BusinessConnectors, 'unavailable'>;
    },
  ) {}

  async execute(input: {
    actor: Actor;
    applicationId: string;
  }): Promise<
    Result<ProgressView & { offlineProcedure: string; degraded: Degradation | null }, NotFoundError | NotAllowedError>
  > {
    return this.deps.uow.run(async (scope) => {
      const found = await loadApplication(scope.applications, input.applicationId);
      if (!found.ok) return found;
      const a = found.value;
      const reader = await readerOf({ enforcer: this.deps.enforcer, scope }, input.actor.personId, a);
      if (!reader) return forbidden();
      const forApplicant = a.applicantId === input.actor.personId;
      const history = await scope.applications.history({
        applicationId: a.id,
        forApplicant,
        limit: PROGRESS_HISTORY_PAGE,
      });
      const form = formSeenBy(a, reader);
      // someone else reading the applicant's form leaves a trace (who read whose data, when)
      if (!forApplicant && Object.keys(form).length) {
        this.deps.readTrail.record({
          at: this.deps.clock.now(),
          readerId: input.actor.personId,
          subjectId: a.applicantId,
          applicationId: a.id,
          what: 'form',
          requestId: input.actor.requestId,
        });
      }
      // a system this application's process hands it to is down: how to go on offline meanwhile
      const unavailable = this.deps.connectors.unavailable();
      const offlineProcedure = (await scope.serviceItems.findById(a.current.itemId))?.snapshot().offlineProcedure ?? '';
      const degraded = degradationOf(a.process, offlineProcedure, unavailable);
      return ok({ ...progressView(a, history, { forApplicant, form }), offlineProcedure, degraded });
    });
  }

  /** The history after a cursor, oldest first; the applicant never sees handlers' private notes. */
  async history(input: {
    actor: Actor;
    applicationId: string;
    limit: number;
    cursor?: string;
  }): Promise<Result<{ items: HistoryEntry[]; nextCursor: string | null }, NotFoundError | NotAllowedError>> {
    return this.deps.uow.run(async (scope) => {
      const found = await loadApplication(scope.applications, input.applicationId);
      if (!found.ok) return found;
      const a = found.value;
      if (!(await mayRead({ enforcer: this.deps.enforcer, items: scope.serviceItems }, input.actor.personId, a)))
        return forbidden();
      return ok(
        await scope.applications.history({
          applicationId: a.id,
          forApplicant: a.applicantId === input.actor.personId,
          limit: input.limit,
          cursor: input.cursor,
        }),
      );
    });
  }
}
