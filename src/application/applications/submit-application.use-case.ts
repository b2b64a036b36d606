import {
  NotAllowedError,
  type ConflictError,
  type InputError,
  type NotFoundError,
} from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import { recordChange } from '../shared/record-change.js';
import { recordCompletion } from './record-completion.js';
import { loadApplication } from './application-access.js';
import { applicationView, type ApplicationView } from './application.view.js';
import { checkForm, submitInScope, type ApplicationDeps } from './submission.js';

/** Submits a draft, or resubmits an application returned to its applicant, optionally with a new form. */
export class SubmitApplicationUseCase {
  constructor(private readonly deps: ApplicationDeps) {}

  async execute(input: {
    actor: Actor;
    applicationId: string;
    form?: Record<string, unknown>;
  }): Promise<Result<ApplicationView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const found = await loadApplication(scope.applications, input.applicationId, true);
      if (!found.ok) return found;
      const a = found.value;
      if (a.applicantId !== input.actor.personId)
        return err(new NotAllowedError('APPLICATION.NOT_APPLICANT', 'only the applicant submits an application'));
      const before = { state: a.state, activeNode: a.activeNode };
      if (input.form) {
        const edited = a.edit(input.form, at);
        if (!edited.ok) return edited;
      }
      const p = a.current;
      const version = (await scope.serviceVersions.findById(p.versionId))!;
      const item = (await scope.serviceItems.findById(p.itemId))!;
      const valid = checkForm(this.deps, version.id, version.definition!, p.form);
      if (!valid.ok) return valid;
      const submitted = await submitInScope(this.deps, scope, a, item, version.definition!, at);
      if (!submitted.ok) return submitted;
      await scope.applications.save(a);
      await recordChange(scope, {
        actor: input.actor,
        action: 'application.submitted',
        entityType: 'application',
        entityId: a.id,
        unit: item.owningUnit,
        before,
        after: { state: a.state, activeNode: a.activeNode },
        at,
        event: { itemId: a.current.itemId, versionId: a.current.versionId, caseNumber: a.current.caseNumber },
      });
      await recordCompletion(scope, a, { stateBefore: before.state, actor: input.actor, at });
      return ok(applicationView(a, { forApplicant: true, form: { ...a.current.form } }));
    });
  }
}
