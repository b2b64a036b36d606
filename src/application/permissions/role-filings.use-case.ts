import { isGateway } from '../../domain/process-definition/process-definition.js';
import { chinaDate } from '../../domain/calendar/working-calendar.js';
import { ADMIN_ROLES, roleEligibility } from '../../domain/people/role-eligibility.js';
import {
  RoleFiling,
  type FiledItem,
  type RoleFilingProps,
  type RoleFilingState,
} from '../../domain/people/role-filing.js';
import {
  ConflictError,
  InputError,
  NotFoundError,
  type FieldProblem,
  type NotAllowedError,
} from '../../domain/shared/errors.js';
import type { DecisionInput } from '../../domain/shared/office-decision.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize, unitsWhere } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';
import { grantRole } from './grant-role.js';

export type RoleFilingView = RoleFilingProps;

export interface FileRoleInput {
  actor: Actor;
  subject: string;
  role: string;
  unit: string;
  items: FiledItem[];
  reason: string;
  certificationId?: string;
}

const IT_OFFICE = 'it-office';

/**
 * 备案 (Art. 4(3)2, 6). A unit's service admin files who is to handle the nodes of its items (a
 * person, a unit role, the items and nodes, why, and the training certification a role needs); the
 * IT Office accepts it, which grants the role linked to the filing, or refuses it with a reason,
 * which grants nothing. The IT Office is told of each filing, the filer of each decision. Each step
 * is one transaction with its audit entry and event.
 */
export class RoleFilingsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock }) {}

  async file(input: FileRoleInput): Promise<Result<RoleFilingView, NotAllowedError | InputError | ConflictError>> {
    const { enforcer, clock } = this.deps;
    const allowed = await authorize(enforcer, input.actor, { unit: input.unit, object: 'role-filing', action: 'file' });
    if (!allowed.ok) return allowed;
    const at = clock.now();
    return this.deps.uow.run(async (scope) => {
      const problems = await this.check(scope, input, at);
      const filed = RoleFiling.file({
        id: globalThis.crypto.randomUUID(),
        subject: input.subject,
        role: input.role,
        unit: input.unit,
        items: input.items,
        reason: input.reason,
        certificationId: input.certificationId ?? null,
        by: input.actor.personId,
        at,
      });
      if (!filed.ok) problems.push(...filed.error.problems);
      if (problems.length || !filed.ok)
        return err(new InputError('ROLE_FILING.INVALID', 'the filing cannot be accepted as it is', problems));
      const filing = filed.value;
      const held = await scope.roleAssignments.list({ subject: input.subject, role: input.role, unit: input.unit });
      if (held.length)
        return err(
          new ConflictError('ROLE.ALREADY_HELD', `${input.subject} already holds '${input.role}' in '${input.unit}'`),
        );
      await scope.roleFilings.add(filing);
      await recordChange(scope, {
        actor: input.actor,
        action: 'role-filing.filed',
        entityType: 'role-filing',
        entityId: filing.id,
        unit: filing.unit,
        before: null,
        after: filing.snapshot(),
        at,
        event: { subject: filing.subject, role: filing.role, unit: filing.unit },
      });
      for (const person of await enforcer.holders({ role: IT_OFFICE, unit: ALL_UNITS }))
        await scope.notifier.notify({
          recipientId: person,
          kind: 'role-filing.filed',
          subject: `权限备案待审核：${filing.unit} ${filing.subject} ${filing.role}`,
          body: `${filing.unit} files ${filing.subject} as ${filing.role}: ${input.reason}`,
          applicationId: null,
          taskId: null,
          dedupeKey: `role-filing:${filing.id}:filed:${person}`,
          at,
        });
      return ok(filing.snapshot());
    });
  }

  async decide(
    input: { actor: Actor; filingId: string } & DecisionInput,
  ): Promise<Result<RoleFilingView, NotAllowedError | NotFoundError | InputError | ConflictError>> {
    const { enforcer, clock } = this.deps;
    const allowed = await authorize(enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'role-filing',
      action: 'decide',
    });
    if (!allowed.ok) return allowed;
    const at = clock.now();
    return this.deps.uow.run(async (scope) => {
      const filing = await scope.roleFilings.findById(input.filingId, { forUpdate: true });
      if (!filing) return notFound(input.filingId);
      const decided = filing.decide(input, input.actor.personId, at);
      if (!decided.ok) return decided;
      if (input.decision === 'accept') {
        // eligibility again, as of the decision: the person may have left, a certification expired
        const granted = await grantRole(scope, enforcer, {
          actor: input.actor,
          assignment: { subject: filing.subject, role: filing.role, unit: filing.unit },
          filingId: filing.id,
          at,
        });
        if (!granted.ok) return granted;
      }
      await scope.roleFilings.save(filing);
      const outcome = filing.snapshot();
      await recordChange(scope, {
        actor: input.actor,
        action: `role-filing.${outcome.state}`,
        entityType: 'role-filing',
        entityId: filing.id,
        unit: filing.unit,
        before: { state: 'pending' },
        after: { state: outcome.state, decision: outcome.decision },
        at,
        event: {
          subject: filing.subject,
          role: filing.role,
          unit: filing.unit,
          comment: outcome.decision?.comment ?? null,
        },
      });
      await scope.notifier.notify({
        recipientId: outcome.filedBy,
        kind: 'role-filing.decided',
        subject: `权限备案${outcome.state === 'accepted' ? '已通过' : '未通过'}：${filing.subject} ${filing.role}`,
        body:
          outcome.state === 'accepted'
            ? `The IT Office granted '${filing.role}' in ${filing.unit} to ${filing.subject} from your filing.`
            : `The IT Office refused the filing: ${outcome.decision?.comment ?? ''}`,
        applicationId: null,
        taskId: null,
        dedupeKey: `role-filing:${filing.id}:decided`,
        at,
      });
      return ok(outcome);
    });
  }

  /** The IT Office and auditors read every filing; a unit's service admin those of their units. */
  async list(input: {
    actor: Actor;
    states?: RoleFilingState[];
    unit?: string;
    subject?: string;
    limit: number;
    cursor?: string;
  }): Promise<Result<{ items: RoleFilingView[]; nextCursor: string | null }, never>> {
    const readable = await unitsWhere(this.deps.enforcer, input.actor, { object: 'role-filing', action: 'read' });
    const units =
      input.unit === undefined ? readable : readable === 'all' || readable.includes(input.unit) ? [input.unit] : [];
    return this.deps.uow.run(async (scope) => {
      const page = await scope.roleFilings.list({
        states: input.states,
        units,
        subject: input.subject,
        limit: input.limit,
        cursor: input.cursor,
      });
      return ok({ items: page.items.map((f) => f.snapshot()), nextCursor: page.nextCursor });
    });
  }

  async get(input: {
    actor: Actor;
    filingId: string;
  }): Promise<Result<RoleFilingView, NotAllowedError | NotFoundError>> {
    return this.deps.uow.run(async (scope) => {
      const filing = await scope.roleFilings.findById(input.filingId);
      if (!filing) return notFound(input.filingId);
      const allowed = await authorize(this.deps.enforcer, input.actor, {
        unit: filing.unit,
        object: 'role-filing',
        action: 'read',
      });
      return allowed.ok ? ok(filing.snapshot()) : allowed;
    });
  }

  /** Everything wrong with a filing, by field: the role, the person, the certification, the items and nodes. */
  private async check(scope: TransactionScope, input: FileRoleInput, at: Date): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    // one statement at a time: the transaction has one connection
    const roles = await scope.organisation.roles();
    const units = await scope.organisation.units();
    const person = await scope.organisation.person(input.subject);
    const role = roles.find((r) => r.key === input.role);
    if (!role) problems.push({ path: '/role', message: `no role '${input.role}'` });
    else if (role.scope !== 'unit')
      problems.push({ path: '/role', message: `'${input.role}' is held university-wide: the IT Office grants it` });
    if (!units.some((u) => u.key === input.unit)) problems.push({ path: '/unit', message: `no unit '${input.unit}'` });
    if (!person) problems.push({ path: '/subject', message: `no person '${input.subject}'` });
    else {
      const certifications = await scope.certifications.of(person.id);
      const today = chinaDate(at);
      problems.push(...roleEligibility({ person, role: input.role, certifications, today }));
      if (ADMIN_ROLES.includes(input.role)) {
        const attached = certifications.find((c) => c.id === input.certificationId);
        if (!input.certificationId)
          problems.push({
            path: '/certificationId',
            message: `'${input.role}' needs a training certification attached`,
          });
        else if (!attached)
          problems.push({
            path: '/certificationId',
            message: `no certification '${input.certificationId}' of ${person.id}`,
          });
        else if (attached.passedOn > today || attached.expiresOn < today)
          problems.push({ path: '/certificationId', message: `the certification is not valid on ${today}` });
      }
    }
    for (const [n, filed] of input.items.entries()) {
      const item = await scope.serviceItems.findById(filed.itemId);
      if (!item || !item.involvedUnits.includes(input.unit)) {
        problems.push({ path: `/items/${n}/itemId`, message: `no item of ${input.unit} with id '${filed.itemId}'` });
        continue;
      }
      const version =
        (item.onlineVersionId && (await scope.serviceVersions.findById(item.onlineVersionId))) ||
        (await scope.serviceVersions.findDraft(item.id));
      const keys = new Set(version?.definition?.nodes.filter((x) => !isGateway(x)).map((x) => x.key) ?? []);
      filed.nodes.forEach((node, k) => {
        if (!keys.has(node))
          problems.push({ path: `/items/${n}/nodes/${k}`, message: `${item.code} has no node '${node}'` });
      });
    }
    return problems;
  }
}

const notFound = (id: string) => err(new NotFoundError('ROLE_FILING.NOT_FOUND', `filing '${id}' does not exist`));
