import {
  NotAllowedError,
  type ConflictError,
  type InputError,
  type NotFoundError,
} from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import type { Application } from '../../domain/application/application.entity.js';
import { reminderText } from '../reminders/reminder-text.js';
import { recordChange } from '../shared/record-change.js';
import { forbidden, formSeenBy, loadApplication, mayComment, readerOf } from './application-access.js';
import { applicationView, type ApplicationView } from './application.view.js';

/** How often one person may urge one application. */
export const URGE_WINDOW_MINUTES = 30;

/**
 * Comments by the applicant and the application's handlers (handlers' may be private; whoever
 * else may read it only reads), and 催办: the
 * applicant, or a service admin of the owning unit, urges the holders of the current step.
 */
export class NoteApplicationUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock; publicUrl: string }) {}

  async execute(
    input: { actor: Actor; applicationId: string } & (
      { note: 'comment'; text: string; private: boolean } | { note: 'urge' }
    ),
  ): Promise<Result<ApplicationView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { enforcer, clock } = this.deps;
    const person = input.actor.personId;
    const at = clock.now();
    return this.deps.uow.run(async (scope) => {
      const found = await loadApplication(scope.applications, input.applicationId, true);
      if (!found.ok) return found;
      const a = found.value;
      // who reads it, once: whether they may, and what of the form the answer shows them
      const reader = await readerOf({ enforcer, scope }, person, a);
      if (!reader) return forbidden();
      let detail: Record<string, unknown> = {};
      if (input.note === 'comment') {
        if (!(await mayComment(enforcer, person, a)))
          return err(
            new NotAllowedError(
              'APPLICATION.COMMENT_NOT_ALLOWED',
              'only the applicant and the handlers of this application may comment on it',
            ),
          );
        const r = a.comment(person, input.text, input.private, at);
        if (!r.ok) return r;
      } else {
        const isAdmin =
          (await enforcer.can({ subject: person, unit: a.owningUnit, object: 'application', action: 'read' })) &&
          (await enforcer.rolesOf({ subject: person })).some(
            (x) => x.role === 'unit-service-admin' && x.unit === a.owningUnit,
          );
        if (person !== a.applicantId && !isAdmin)
          return err(
            new NotAllowedError(
              'APPLICATION.URGE_NOT_ALLOWED',
              "only the applicant or the owning unit's service admin may urge",
            ),
          );
        const last = await scope.applications.lastEntry({ applicationId: a.id, actor: person, action: 'urged' });
        const r = a.urge(person, last ? new Date(last.at) : null, URGE_WINDOW_MINUTES, at);
        if (!r.ok) return r;
        detail = { holders: r.value.holders };
        await this.notifyUrge(scope, a, person, r.value.holders, at);
      }
      await scope.applications.save(a);
      await recordChange(scope, {
        actor: input.actor,
        action: input.note === 'comment' ? 'application.commented' : 'application.urged',
        entityType: 'application',
        entityId: a.id,
        unit: a.owningUnit,
        before: null,
        after: null,
        at,
        event: { caseNumber: a.current.caseNumber, ...detail },
      });
      const form = formSeenBy(a, reader);
      return ok(applicationView(a, { forApplicant: person === a.applicantId, form }));
    });
  }

  /** 催办 reaches the holders of the current step as a notification (portal message, e-mail). */
  private async notifyUrge(
    scope: TransactionScope,
    a: Application,
    by: string,
    holders: Array<string | { role: string; unit: string }>,
    at: Date,
  ): Promise<void> {
    const people = new Set<string>();
    for (const h of holders)
      for (const p of typeof h === 'string' ? [h] : await this.deps.enforcer.holders(h)) people.add(p);
    people.delete(by);
    const p = a.current;
    const open = p.tasks.find((t) => t.status === 'open' && t.nodeKey === p.activeNode);
    const item = await scope.serviceItems.findById(p.itemId);
    const text = reminderText('urge', {
      service: item?.name ?? '',
      caseNumber: p.caseNumber ?? p.id,
      node: a.process.nodes.find((n) => n.key === p.activeNode)?.name ?? p.activeNode ?? '',
      holder: '',
      dueAt: open?.dueAt ? new Date(open.dueAt) : null,
      link: `${this.deps.publicUrl}/api/v1/applications/${p.id}`,
      by,
    });
    for (const recipientId of people) {
      await scope.notifier.notify({
        recipientId,
        kind: 'urge',
        ...text,
        applicationId: p.id,
        taskId: open?.id ?? null,
        at,
        dedupeKey: `urge:${p.id}:${by}:${at.toISOString()}:${recipientId}`,
      });
    }
  }
}
