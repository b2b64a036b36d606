import { isCalendarDate } from '../../domain/shared/calendar-date.js';
import { InputError, NotFoundError, type ConflictError, type NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import { ALL_UNITS, type PolicyEnforcer, type RoleAssignment } from '../ports/policy-enforcer.port.js';
import type { CertificationRecord } from '../ports/role-assignments.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';
import { grantRole } from './grant-role.js';

/**
 * The IT Office grants and revokes roles from the units' filings (备案, Art. 6), and records training
 * certifications (Art. 17). The same rules hold from the API and the CLI: only active staff hold
 * roles; admin roles need a current certification. Every change is audited and reaches every
 * instance's policy on commit.
 */
export class PermissionsUseCase {
  constructor(
    private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; organisation: Organisation; clock: Clock },
  ) {}

  async grant(
    input: { actor: Actor } & RoleAssignment,
  ): Promise<Result<RoleAssignment, NotAllowedError | InputError | ConflictError | NotFoundError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'role-assignment',
      action: 'grant',
    });
    if (!allowed.ok) return allowed;
    const checked = await this.checkAssignment(input);
    if (!checked.ok) return checked;
    const at = this.deps.clock.now();
    return this.deps.uow.run((scope) =>
      grantRole(scope, this.deps.enforcer, {
        actor: input.actor,
        assignment: { subject: input.subject, role: input.role, unit: input.unit },
        // straight from the IT Office, with no unit's filing behind it: the audit entry says so
        filingId: null,
        at,
      }),
    );
  }

  async revoke(
    input: { actor: Actor } & RoleAssignment,
  ): Promise<Result<RoleAssignment, NotAllowedError | NotFoundError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'role-assignment',
      action: 'revoke',
    });
    if (!allowed.ok) return allowed;
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const a = { subject: input.subject, role: input.role, unit: input.unit };
      if (!(await scope.roleAssignments.revoke(a)))
        return err(new NotFoundError('ROLE.NOT_HELD', `${a.subject} does not hold '${a.role}' in '${a.unit}'`));
      await recordChange(scope, {
        actor: input.actor,
        action: 'role.revoked',
        entityType: 'person',
        entityId: a.subject,
        unit: a.unit === ALL_UNITS ? null : a.unit,
        before: a,
        after: null,
        at,
        event: a,
      });
      scope.afterCommit(() => this.deps.enforcer.refresh());
      return ok(a);
    });
  }

  async list(input: {
    actor: Actor;
    subject?: string;
    unit?: string;
    role?: string;
  }): Promise<Result<{ items: RoleAssignment[] }, NotAllowedError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'role-assignment',
      action: 'read',
    });
    if (!allowed.ok) return allowed;
    return this.deps.uow.run(async (scope) => ok({ items: await scope.roleAssignments.list(input) }));
  }

  async recordCertification(input: {
    actor: Actor;
    personId: string;
    course: string;
    passedOn: string;
    expiresOn: string;
  }): Promise<Result<CertificationRecord, NotAllowedError | InputError | NotFoundError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'certification',
      action: 'record',
    });
    if (!allowed.ok) return allowed;
    if (!(await this.deps.organisation.person(input.personId)))
      return err(new NotFoundError('PERSON.NOT_FOUND', `no person '${input.personId}'`));
    const impossible = (['passedOn', 'expiresOn'] as const).filter((f) => !isCalendarDate(input[f]));
    if (impossible.length)
      return err(
        new InputError(
          'CERTIFICATION.BAD_DATES',
          'a certification is passed and expires on dates of the calendar',
          impossible.map((f) => ({ path: `/${f}`, message: 'is not a date of the calendar (YYYY-MM-DD)' })),
        ),
      );
    if (input.expiresOn < input.passedOn)
      return err(
        new InputError('CERTIFICATION.BAD_DATES', 'a certification expires after it was passed', [
          { path: '/expiresOn', message: 'is before passedOn' },
        ]),
      );
    const at = this.deps.clock.now();
    const c: CertificationRecord = {
      id: globalThis.crypto.randomUUID(),
      personId: input.personId,
      course: input.course,
      passedOn: input.passedOn,
      expiresOn: input.expiresOn,
      recordedBy: input.actor.personId,
      recordedAt: at,
    };
    return this.deps.uow.run(async (scope) => {
      await scope.certifications.add(c);
      await recordChange(scope, {
        actor: input.actor,
        action: 'certification.recorded',
        entityType: 'person',
        entityId: c.personId,
        unit: null,
        before: null,
        after: c,
        at,
      });
      return ok(c);
    });
  }

  async certificationsOf(input: {
    actor: Actor;
    personId: string;
  }): Promise<Result<{ items: CertificationRecord[] }, NotAllowedError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'role-assignment',
      action: 'read',
    });
    if (!allowed.ok) return allowed;
    return this.deps.uow.run(async (scope) => ok({ items: await scope.certifications.of(input.personId) }));
  }

  /** The role exists, is held where its scope says (global roles in '*'), in a unit that exists, by a known person. */
  private async checkAssignment(a: RoleAssignment): Promise<Result<void, InputError | NotFoundError>> {
    const [roles, units, person] = await Promise.all([
      this.deps.organisation.roles(),
      this.deps.organisation.units(),
      this.deps.organisation.person(a.subject),
    ]);
    if (!person) return err(new NotFoundError('PERSON.NOT_FOUND', `no person '${a.subject}'`));
    const role = roles.find((r) => r.key === a.role);
    const problems = [];
    if (!role)
      problems.push({ path: '/role', message: `no role '${a.role}' (known: ${roles.map((r) => r.key).join(', ')})` });
    else if (role.scope === 'global' && a.unit !== ALL_UNITS)
      problems.push({ path: '/unit', message: `'${a.role}' is held university-wide: the unit is '*'` });
    else if (role.scope === 'unit' && !units.some((u) => u.key === a.unit))
      problems.push({ path: '/unit', message: `no unit '${a.unit}'` });
    return problems.length
      ? err(new InputError('ROLE.INVALID_ASSIGNMENT', 'The role assignment is invalid', problems))
      : ok(undefined);
  }
}
