import type { Application } from '../../domain/application/application.entity.js';
import type { ApplicationState } from '../../domain/application/application-state.js';
import { personalFieldPaths } from '../../domain/application/personal-data.js';
import type { Actor } from '../ports/actor.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';

/**
 * A change that completed the application (办结) also writes `application.completed`, in its
 * transaction: what the service produced, for the public data platform. It carries the final form
 * and the paths of the fields the version's form schema marks personal; the outbox relay masks or
 * leaves those out for each sink, as the sink is configured, before anything leaves the hall.
 */
export async function recordCompletion(
  scope: TransactionScope,
  a: Application,
  o: { stateBefore: ApplicationState | null; actor: Actor; at: Date },
): Promise<void> {
  if (a.state !== 'completed' || o.stateBefore === 'completed') return;
  const { itemId, versionId, caseNumber, form } = a.current;
  const version = await scope.serviceVersions.findById(versionId);
  await scope.outbox.enqueue({
    topic: 'application.completed',
    aggregateType: 'application',
    aggregateId: a.id,
    at: o.at,
    payload: {
      actor: o.actor.personId,
      itemId,
      versionId,
      caseNumber,
      form,
      personalFields: personalFieldPaths(version?.definition?.form),
    },
  });
}
