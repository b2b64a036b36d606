import { ChangeRequest, type ChangeNeed, type ChangeRequestState } from '../../domain/service-item/change-request.js';
import { ServiceVersion } from '../../domain/service-item/service-version.entity.js';
import { ConflictError, NotFoundError, type InputError, type NotAllowedError } from '../../domain/shared/errors.js';
import type { DecisionInput } from '../../domain/shared/office-decision.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize, authorizeAny, unitsWhere } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';
import { loadItem, loadOwnedItem } from './load.js';

export interface ChangeRequestView {
  id: string;
  itemId: string;
  itemCode: string;
  itemName: string;
  unit: string;
  state: ChangeRequestState;
  reason: string;
  needs: ChangeNeed[];
  requestedBy: string;
  requestedAt: string;
  decision: { by: string; at: string; comment: string | null } | null;
  /** The draft version the accepted request opened. */
  versionId: string | null;
}

const IT_OFFICE = 'it-office';

/**
 * 变更申请及变更需求 (Art. 11, 4(2)4). The owning unit's service admin files a change of an online
 * item with what changes and why; the item shows `change_pending` (still serving) and the IT Office
 * is told. The IT Office accepts, which opens the draft version as a copy of the online one (the
 * relaunch then passes the same gate as any version), or refuses with its reason; the requester
 * is told either way. Each step is one transaction with its audit entry and event.
 */
export class ChangeRequestsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock }) {}

  async file(input: {
    actor: Actor;
    itemId: string;
    reason: string;
    needs: ChangeNeed[];
  }): Promise<Result<ChangeRequestView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, enforcer, clock } = this.deps;
    const at = clock.now();
    return uow.run(async (scope) => {
      const found = await loadOwnedItem(scope.serviceItems, enforcer, {
        ...input,
        action: 'request-change',
        forUpdate: true,
      });
      if (!found.ok) return found;
      const item = found.value;
      const before = item.snapshot();
      const filed = ChangeRequest.file({
        id: globalThis.crypto.randomUUID(),
        itemId: item.id,
        unit: item.owningUnit,
        reason: input.reason,
        needs: input.needs,
        by: input.actor.personId,
        at,
      });
      if (!filed.ok) return filed;
      const moved = item.changeRequested(at);
      if (!moved.ok) return moved;
      if (await scope.serviceVersions.findDraft(item.id))
        return err(
          new ConflictError(
            'SERVICE_VERSION.DRAFT_EXISTS',
            'a draft version of this item is open: launch it before asking for another change',
          ),
        );
      const request = filed.value;
      await scope.changeRequests.add(request);
      await scope.serviceItems.save(item);
      await recordChange(scope, {
        actor: input.actor,
        action: 'service-item.change-requested',
        entityType: 'service-item',
        entityId: item.id,
        unit: item.owningUnit,
        before: { state: before.state },
        after: { state: item.state, changeRequest: request.snapshot() },
        at,
        event: { itemId: item.id, changeRequestId: request.id, reason: input.reason, needs: input.needs },
      });
      const view = viewOf(request, item);
      for (const person of await enforcer.holders({ role: IT_OFFICE, unit: ALL_UNITS }))
        await scope.notifier.notify({
          recipientId: person,
          kind: 'change-request.filed',
          subject: `变更申请待审核：${item.code} ${item.name}`,
          body: `${item.owningUnit} asks to change ${item.code} ${item.name}: ${input.reason}\n${needsText(input.needs)}`,
          applicationId: null,
          taskId: null,
          dedupeKey: `change-request:${request.id}:filed:${person}`,
          at,
        });
      return ok(view);
    });
  }

  async decide(
    input: { actor: Actor; requestId: string } & DecisionInput,
  ): Promise<Result<ChangeRequestView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, enforcer, clock } = this.deps;
    const allowed = await authorize(enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'change-request',
      action: 'decide',
    });
    if (!allowed.ok) return allowed;
    const at = clock.now();
    return uow.run(async (scope) => {
      const request = await scope.changeRequests.findById(input.requestId, { forUpdate: true });
      if (!request) return notFound(input.requestId);
      const found = await loadItem(scope.serviceItems, request.itemId, { forUpdate: true });
      if (!found.ok) return found;
      const item = found.value;
      const before = item.snapshot();
      // the request's own state first: a decided one says so, whatever the item did since
      const draftId = globalThis.crypto.randomUUID();
      const decided = request.decide(input, input.actor.personId, at, draftId);
      if (!decided.ok) return decided;
      const moved = item.changeDecided(input.decision, at);
      if (!moved.ok) return moved;
      let draft: ServiceVersion | null = null;
      if (input.decision === 'accept') {
        const online = item.onlineVersionId ? await scope.serviceVersions.findById(item.onlineVersionId) : null;
        // the draft is the requesting unit's to edit: it is created in the requester's name
        draft = ServiceVersion.draft({
          id: draftId,
          itemId: item.id,
          number: await scope.serviceVersions.nextNumber(item.id),
          definition: online?.definition ?? null,
          changeReason: request.snapshot().reason,
          by: request.snapshot().requestedBy,
          at,
        });
        await scope.serviceVersions.add(draft);
      }
      await scope.changeRequests.save(request);
      await scope.serviceItems.save(item);
      const outcome = request.snapshot();
      await recordChange(scope, {
        actor: input.actor,
        action: input.decision === 'accept' ? 'service-item.change-accepted' : 'service-item.change-refused',
        entityType: 'service-item',
        entityId: item.id,
        unit: item.owningUnit,
        before: { state: before.state },
        after: { state: item.state, changeRequest: outcome },
        at,
        event: {
          itemId: item.id,
          changeRequestId: request.id,
          comment: outcome.decision?.comment ?? null,
          ...(draft ? { versionId: draft.id, number: draft.number } : {}),
        },
      });
      await scope.notifier.notify({
        recipientId: outcome.requestedBy,
        kind: 'change-request.decided',
        subject: draft
          ? `变更申请已通过：${item.code} ${item.name}（版本 ${draft.number} 草稿已开启）`
          : `变更申请未通过：${item.code} ${item.name}`,
        body: draft
          ? `The IT Office accepted the change; draft version ${draft.number} is open.${outcome.decision?.comment ? `\n${outcome.decision.comment}` : ''}`
          : `The IT Office refused the change: ${outcome.decision?.comment ?? ''}`,
        applicationId: null,
        taskId: null,
        dedupeKey: `change-request:${request.id}:decided`,
        at,
      });
      return ok(viewOf(request, item));
    });
  }

  /** Requests the actor may read: those of items their units own or are involved in (offices and auditors: all). */
  async list(input: {
    actor: Actor;
    itemId?: string;
    states?: ChangeRequestState[];
    limit: number;
    cursor?: string;
  }): Promise<Result<{ items: ChangeRequestView[]; nextCursor: string | null }, NotFoundError | NotAllowedError>> {
    const units = await unitsWhere(this.deps.enforcer, input.actor, { object: 'service-item', action: 'read' });
    return this.deps.uow.run(async (scope) => {
      if (input.itemId) {
        const found = await loadItem(scope.serviceItems, input.itemId);
        if (!found.ok) return found;
      }
      const page = await scope.changeRequests.list({
        itemId: input.itemId,
        states: input.states,
        units,
        limit: input.limit,
        cursor: input.cursor,
      });
      return ok({ items: await views(scope, page.items), nextCursor: page.nextCursor });
    });
  }

  async get(input: {
    actor: Actor;
    requestId: string;
  }): Promise<Result<ChangeRequestView, NotFoundError | NotAllowedError>> {
    return this.deps.uow.run(async (scope) => {
      const request = await scope.changeRequests.findById(input.requestId);
      if (!request) return notFound(input.requestId);
      const found = await loadItem(scope.serviceItems, request.itemId);
      if (!found.ok) return found;
      // whoever reads the item reads its requests: the offices, auditors, the owning and involved units' admins
      const allowed = await authorizeAny(this.deps.enforcer, input.actor, {
        units: [ALL_UNITS, ...found.value.involvedUnits],
        object: 'service-item',
        action: 'read',
      });
      if (!allowed.ok) return allowed;
      return ok((await views(scope, [request]))[0]!);
    });
  }
}

const notFound = (id: string) =>
  err(new NotFoundError('CHANGE_REQUEST.NOT_FOUND', `change request '${id}' does not exist`));

const needsText = (needs: readonly ChangeNeed[]) => needs.map((n) => `- ${n.aspect}: ${n.description}`).join('\n');

function viewOf(request: ChangeRequest, item: { code: string; name: string }): ChangeRequestView {
  const p = request.snapshot();
  return {
    id: p.id,
    itemId: p.itemId,
    itemCode: item.code,
    itemName: item.name,
    unit: p.unit,
    state: p.state,
    reason: p.reason,
    needs: p.needs,
    requestedBy: p.requestedBy,
    requestedAt: p.requestedAt,
    decision: p.decision,
    versionId: p.versionId,
  };
}

async function views(scope: TransactionScope, requests: readonly ChangeRequest[]): Promise<ChangeRequestView[]> {
  const items = new Map<string, { code: string; name: string }>();
  for (const id of new Set(requests.map((r) => r.itemId))) {
    const item = await scope.serviceItems.findById(id);
    if (item) items.set(id, { code: item.code, name: item.name });
  }
  return requests.map((r) => viewOf(r, items.get(r.itemId) ?? { code: '', name: '' }));
}
