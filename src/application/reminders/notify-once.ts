import type { NotificationKind } from '../ports/notifier.port.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';

/**
 * What a timer does once it has found who to tell: one notification per active recipient (its
 * dedupe key is the cause and the recipient, so a job run twice tells nobody twice), and, if anyone
 * was told, one audit entry and outbox event — all in the job's transaction.
 */
export async function notifyOnce(
  scope: TransactionScope,
  o: {
    recipients: string[];
    kind: NotificationKind;
    text: { subject: string; body: string };
    applicationId: string;
    taskId: string | null;
    cause: string;
    at: Date;
    audit: {
      action: string;
      entityType: string;
      entityId: string;
      unit: string;
      jobId: string;
      after: Record<string, unknown>;
      event: Record<string, unknown>;
    };
  },
): Promise<string[]> {
  const active = (await scope.organisation.people(o.recipients)).filter((p) => p.status === 'active').map((p) => p.id);
  const told: string[] = [];
  for (const recipientId of active) {
    const fresh = await scope.notifier.notify({
      recipientId,
      kind: o.kind,
      ...o.text,
      applicationId: o.applicationId,
      taskId: o.taskId,
      at: o.at,
      dedupeKey: `${o.kind}:${o.cause}:${recipientId}`,
    });
    if (fresh) told.push(recipientId);
  }
  if (told.length) {
    const { action, entityType, entityId, unit, jobId, after, event } = o.audit;
    await recordChange(scope, {
      actor: { personId: 'system', requestId: `job-${jobId}` },
      action,
      entityType,
      entityId,
      unit,
      before: null,
      at: o.at,
      after: { ...after, notified: told },
      event: { ...event, notified: told },
    });
  }
  return told;
}
