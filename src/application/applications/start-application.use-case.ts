import { Application } from '../../domain/application/application.entity.js';
import { isInCatalogue } from '../../domain/service-item/service-item-lifecycle.js';
import { ConflictError, NotFoundError, UnauthenticatedError, type InputError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import { recordChange } from '../shared/record-change.js';
import { recordCompletion } from './record-completion.js';
import { applicationView, type ApplicationView } from './application.view.js';
import { checkForm, submitInScope, type ApplicationDeps } from './submission.js';

/**
 * Apply to an online service item: a draft to finish later, or submitted at once. The application
 * is bound to the item's current version for good.
 */
export class StartApplicationUseCase {
  constructor(private readonly deps: ApplicationDeps) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
    form: Record<string, unknown>;
    submit: boolean;
  }): Promise<Result<ApplicationView, NotFoundError | ConflictError | InputError | UnauthenticatedError>> {
    const { uow, organisation, clock } = this.deps;
    const person = await organisation.person(input.actor.personId);
    if (!person || person.status !== 'active')
      return err(new UnauthenticatedError('AUTH.ACCOUNT_DISABLED', 'this account is disabled'));
    const at = clock.now();
    return uow.run(async (scope) => {
      const item = await scope.serviceItems.findById(input.itemId);
      if (!item)
        return err(new NotFoundError('SERVICE_ITEM.NOT_FOUND', `service item '${input.itemId}' does not exist`));
      if (!isInCatalogue(item.state) || !item.onlineVersionId)
        return err(new ConflictError('SERVICE_ITEM.NOT_ONLINE', 'this service item does not accept applications'));
      const version = (await scope.serviceVersions.findById(item.onlineVersionId))!;
      const definition = version.definition!;
      if (input.submit) {
        const valid = checkForm(this.deps, version.id, definition, input.form);
        if (!valid.ok) return valid;
      }
      const a = Application.draft(
        {
          id: globalThis.crypto.randomUUID(),
          itemId: item.id,
          owningUnit: item.owningUnit,
          versionId: version.id,
          applicant: { id: person.id, type: person.type, unit: person.unit },
          form: input.form,
          at,
        },
        definition,
      );
      if (input.submit) {
        const submitted = await submitInScope(this.deps, scope, a, item, definition, at);
        if (!submitted.ok) return submitted;
      }
      await scope.applications.add(a);
      await recordChange(scope, {
        actor: input.actor,
        action: input.submit ? 'application.submitted' : 'application.drafted',
        entityType: 'application',
        entityId: a.id,
        unit: item.owningUnit,
        before: null,
        after: { state: a.state, activeNode: a.activeNode },
        at,
        event: { itemId: item.id, versionId: version.id, caseNumber: a.current.caseNumber },
      });
      await recordCompletion(scope, a, { stateBefore: null, actor: input.actor, at });
      return ok(applicationView(a, { forApplicant: true, form: { ...a.current.form } }));
    });
  }
}
