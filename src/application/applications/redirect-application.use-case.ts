import type { Application } from '../../domain/application/application.entity.js';
import {
  ConflictError,
  InputError,
  NotFoundError,
  type FieldProblem,
  type NotAllowedError,
} from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { applicationView, type ApplicationView } from './application.view.js';
import { engineContextOf } from './engine-context.js';
import { loadManaged, mayManage } from './manage-application.use-case.js';
import { checkForm, type ApplicationDeps } from './submission.js';
import { enqueueConnectorCalls } from './connector-calls.js';
import { recordCompletion } from './record-completion.js';

type Failure = NotFoundError | NotAllowedError | ConflictError | InputError;

export const MAX_MOVED_APPLICATIONS = 200;

export interface MoveInput {
  actor: Actor;
  itemId: string;
  fromVersionId: string;
  toVersionId: string;
  applicationIds: string[];
  mapping: Record<string, string>;
  reason: string;
}

/**
 * What the owning unit's service admins and the IT Office do to move applications on: 跳转 (one
 * application to any step of its process, with a reason) and moving running applications to the new
 * online version of their item with a node mapping, all or nothing. One transaction each, with an
 * audit entry and an outbox event per application.
 */
export class RedirectApplicationUseCase {
  constructor(private readonly deps: ApplicationDeps) {}

  async jump(input: {
    actor: Actor;
    applicationId: string;
    target: string;
    reason: string;
  }): Promise<Result<ApplicationView, Failure>> {
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const found = await loadManaged(scope, this.deps.enforcer, input.actor, input.applicationId);
      if (!found.ok) return found;
      const a = found.value;
      const before = { state: a.state, activeNodes: [...a.activeNodes] };
      const r = a.jumpTo(
        input.actor.personId,
        input.target,
        input.reason,
        await engineContextOf(this.deps, scope.organisation, a, at),
      );
      if (!r.ok) return r;
      await this.save(scope, a, input.actor, 'application.jumped', before, at, { target: input.target });
      return ok(applicationView(a, { forApplicant: false, form: {} }));
    });
  }

  async move(input: MoveInput): Promise<Result<{ moved: ApplicationView[] }, Failure>> {
    const at = this.deps.clock.now();
    const duplicate = input.applicationIds.findIndex((id, i) => input.applicationIds.indexOf(id) !== i);
    if (duplicate >= 0)
      return err(
        new InputError('APPLICATION_MOVE.INVALID', 'each application is named once', [
          { path: `/applicationIds/${duplicate}`, message: 'named twice' },
        ]),
      );
    return this.deps.uow.run(async (scope) => {
      const item = await scope.serviceItems.findById(input.itemId);
      if (!item)
        return err(new NotFoundError('SERVICE_ITEM.NOT_FOUND', `service item '${input.itemId}' does not exist`));
      const allowed = await mayManage(this.deps.enforcer, input.actor, item.owningUnit);
      if (!allowed.ok) return allowed;
      // one statement at a time: the transaction has one connection
      const from = await scope.serviceVersions.findById(input.fromVersionId);
      const to = await scope.serviceVersions.findById(input.toVersionId);
      const problems: FieldProblem[] = [];
      if (from?.itemId !== item.id) problems.push({ path: '/fromVersionId', message: 'not a version of this item' });
      if (to?.itemId !== item.id) problems.push({ path: '/toVersionId', message: 'not a version of this item' });
      if (problems.length) return err(new InputError('APPLICATION_MOVE.INVALID', 'the move is invalid', problems));
      if (item.onlineVersionId !== to!.id || !to!.definition)
        return err(
          new ConflictError(
            'APPLICATION_MOVE.TARGET_NOT_ONLINE',
            'applications move to the version of the item that is online now',
          ),
        );
      // locked in id order, so two moves never wait on each other crosswise
      const order = [...input.applicationIds].sort();
      const loaded = new Map<string, Application>();
      for (const id of order) {
        const a = await scope.applications.findById(id, { forUpdate: true });
        if (a) loaded.set(id, a);
      }
      const ended: string[] = [];
      input.applicationIds.forEach((id, i) => {
        const a = loaded.get(id);
        const path = `/applicationIds/${i}`;
        if (!a || a.current.itemId !== item.id)
          problems.push({ path, message: `no application of this item with id '${id}'` });
        else if (a.current.versionId !== input.fromVersionId)
          problems.push({ path, message: `runs on version ${a.current.versionId}, not on fromVersionId` });
        else if (!['draft', 'in_progress', 'returned'].includes(a.state)) ended.push(a.current.caseNumber ?? id);
      });
      if (problems.length) return err(new InputError('APPLICATION_MOVE.INVALID', 'the move is invalid', problems));
      if (ended.length)
        return err(
          new ConflictError(
            'APPLICATION.NOT_MOVABLE',
            `these applications have ended and stay as they are: ${ended.join(', ')}`,
          ),
        );
      const target = { versionId: to!.id, definition: to!.definition };
      const moved: Application[] = [];
      const befores = new Map<string, { state: string; activeNodes: string[]; versionId: string }>();
      for (const [i, id] of input.applicationIds.entries()) {
        const a = loaded.get(id)!;
        befores.set(id, { state: a.state, activeNodes: [...a.activeNodes], versionId: a.current.versionId });
        const r = a.moveToVersion(
          target,
          input.mapping,
          input.actor.personId,
          input.reason,
          await engineContextOf(this.deps, scope.organisation, a, at),
        );
        if (!r.ok) {
          if (!(r.error instanceof InputError)) return r;
          const name = a.current.caseNumber ?? id;
          for (const p of r.error.problems)
            if (!problems.some((x) => x.path === p.path && x.message.endsWith(p.message)))
              problems.push(p.path === '/mapping' ? { path: p.path, message: `${name}: ${p.message}` } : p);
          continue;
        }
        const form = checkForm(this.deps, to!.id, to!.definition, a.current.form);
        if (!form.ok)
          for (const p of form.error.problems)
            problems.push({
              path: `/applicationIds/${i}${p.path}`,
              message: `its form does not fit the new version: ${p.message}`,
            });
        moved.push(a);
      }
      // all or nothing: nothing is saved unless every application moves
      if (problems.length)
        return err(new InputError('APPLICATION.MAPPING_INVALID', 'the node mapping does not fit', problems));
      for (const a of moved)
        await this.save(scope, a, input.actor, 'application.moved-version', befores.get(a.id)!, at, {
          fromVersionId: input.fromVersionId,
          toVersionId: to!.id,
        });
      return ok({ moved: moved.map((a) => applicationView(a, { forApplicant: false, form: {} })) });
    });
  }

  private async save(
    scope: TransactionScope,
    a: Application,
    actor: Actor,
    action: string,
    before: Record<string, unknown> & { state: string },
    at: Date,
    event: Record<string, unknown>,
  ): Promise<void> {
    await enqueueConnectorCalls(scope, a);
    await scope.applications.save(a);
    await recordChange(scope, {
      actor,
      action,
      entityType: 'application',
      entityId: a.id,
      unit: a.owningUnit,
      before,
      after: { state: a.state, activeNodes: [...a.activeNodes], versionId: a.current.versionId },
      at,
      event: { caseNumber: a.current.caseNumber, ...event },
    });
    await recordCompletion(scope, a, { stateBefore: before.state as Application['state'], actor, at });
  }
}
