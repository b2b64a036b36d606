import { ConflictError, InputError, type FieldProblem } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import {
  APPROVED_TARGET,
  allowedCommands,
  nextState,
  type LifecycleCommand,
  type ServiceItemState,
} from './service-item-lifecycle.js';

/** The two offices whose approvals onboarding and offboarding both need (Art. 8, 12). */
export const APPROVING_OFFICES = ['president-office', 'it-office'] as const;
export type ApprovingOffice = (typeof APPROVING_OFFICES)[number];

export interface Approval {
  office: ApprovingOffice;
  by: string;
  at: string;
  comment?: string;
}
export interface Rejection {
  office: ApprovingOffice;
  by: string;
  at: string;
  reason: string;
  phase: 'onboarding' | 'offboarding';
}

export interface ServiceItemProps {
  id: string;
  code: string;
  name: string;
  owningUnit: string;
  involvedUnits: string[];
  description: string;
  offlineProcedure: string;
  state: ServiceItemState;
  /** Approvals of the current round (onboarding or offboarding); cleared when a round ends. */
  approvals: Approval[];
  rejection: Rejection | null;
  offboardingReason: string | null;
  onlineVersionId: string | null;
  /** Optimistic concurrency: the version this aggregate was loaded at. */
  lockVersion: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface OnboardingApplication {
  code: string;
  name: string;
  owningUnit: string;
  involvedUnits: string[];
  description: string;
  offlineProcedure: string;
}

export type LifecycleError = ConflictError;

const CODE_PATTERN = /^[A-Z]{1,6}-[A-Z0-9]{1,12}$/;

export function checkOnboardingApplication(a: OnboardingApplication, knownUnits: ReadonlySet<string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!CODE_PATTERN.test(a.code))
    problems.push({ path: '/code', message: 'must look like JW-ZDZM (unit letters, a dash, 1-12 letters or digits)' });
  if (!knownUnits.has(a.owningUnit))
    problems.push({ path: '/owningUnit', message: `unit '${a.owningUnit}' does not exist` });
  a.involvedUnits.forEach((u, i) => {
    if (!knownUnits.has(u)) problems.push({ path: `/involvedUnits/${i}`, message: `unit '${u}' does not exist` });
    if (a.involvedUnits.indexOf(u) !== i)
      problems.push({ path: `/involvedUnits/${i}`, message: `unit '${u}' is listed twice` });
  });
  return problems;
}

function conflict(code: string, message: string): ConflictError {
  return new ConflictError(code, message);
}

export class ServiceItem {
  private constructor(private props: ServiceItemProps) {}

  static restore(props: ServiceItemProps): ServiceItem {
    return new ServiceItem({ ...props, approvals: [...props.approvals], involvedUnits: [...props.involvedUnits] });
  }

  /** 入驻申请: the owning unit applies; the owning unit is always among the involved units. */
  static apply(
    id: string,
    a: OnboardingApplication,
    by: string,
    at: Date,
    knownUnits: ReadonlySet<string>,
  ): Result<ServiceItem, InputError> {
    const problems = checkOnboardingApplication(a, knownUnits);
    if (problems.length)
      return err(new InputError('SERVICE_ITEM.INVALID_APPLICATION', 'The onboarding application is invalid', problems));
    const involved = a.involvedUnits.includes(a.owningUnit) ? a.involvedUnits : [a.owningUnit, ...a.involvedUnits];
    return ok(
      new ServiceItem({
        id,
        code: a.code,
        name: a.name,
        owningUnit: a.owningUnit,
        involvedUnits: involved,
        description: a.description,
        offlineProcedure: a.offlineProcedure,
        state: 'onboarding_pending',
        approvals: [],
        rejection: null,
        offboardingReason: null,
        onlineVersionId: null,
        lockVersion: 0,
        createdBy: by,
        createdAt: at,
        updatedAt: at,
      }),
    );
  }

  get id(): string {
    return this.props.id;
  }
  get code(): string {
    return this.props.code;
  }
  get name(): string {
    return this.props.name;
  }
  get state(): ServiceItemState {
    return this.props.state;
  }
  get owningUnit(): string {
    return this.props.owningUnit;
  }
  get involvedUnits(): readonly string[] {
    return this.props.involvedUnits;
  }
  get onlineVersionId(): string | null {
    return this.props.onlineVersionId;
  }
  get lockVersion(): number {
    return this.props.lockVersion;
  }
  get approvals(): readonly Approval[] {
    return this.props.approvals;
  }

  /** Called by the repository once stored: the aggregate now stands at this optimistic version. */
  markSaved(lockVersion: number): void {
    this.props.lockVersion = lockVersion;
  }

  snapshot(): ServiceItemProps {
    return structuredClone(this.props);
  }

  /** Refuses a command the state machine does not allow in the current state. */
  guard(command: LifecycleCommand): Result<ServiceItemState, LifecycleError> {
    const target = nextState(this.props.state, command);
    if (target === undefined) {
      return err(
        conflict(
          `SERVICE_ITEM.${command.toUpperCase()}_NOT_ALLOWED`,
          `'${command}' is not allowed while the service item is ${this.props.state} (allowed: ${allowedCommands(this.props.state).join(', ') || 'none'})`,
        ),
      );
    }
    return ok(target);
  }

  approve(
    office: ApprovingOffice,
    by: string,
    at: Date,
    comment?: string,
  ): Result<{ completed: boolean }, LifecycleError> {
    const g = this.guard('approve');
    if (!g.ok) return g;
    if (this.props.approvals.some((a) => a.office === office)) {
      return err(conflict('SERVICE_ITEM.ALREADY_APPROVED', `${office} has already approved this ${this.phase()}`));
    }
    this.props.approvals.push({ office, by, at: at.toISOString(), ...(comment ? { comment } : {}) });
    const completed = APPROVING_OFFICES.every((o) => this.props.approvals.some((a) => a.office === o));
    if (completed) {
      const target = APPROVED_TARGET[this.props.state];
      if (target) this.props.state = target;
      this.props.approvals = [];
      this.props.rejection = null;
    }
    this.touch(at);
    return ok({ completed });
  }

  reject(office: ApprovingOffice, reason: string, by: string, at: Date): Result<void, LifecycleError> {
    const g = this.guard('reject');
    if (!g.ok) return g;
    this.props.rejection = { office, by, at: at.toISOString(), reason, phase: this.phase() };
    this.props.approvals = [];
    if (this.props.state === 'offboarding_pending') this.props.offboardingReason = null;
    this.props.state = g.value;
    this.touch(at);
    return ok(undefined);
  }

  /** The unit revises its rejected application and files it again; a new approval round starts. */
  reapply(
    revision: Partial<Omit<OnboardingApplication, 'code' | 'owningUnit'>>,
    at: Date,
    knownUnits: ReadonlySet<string>,
  ): Result<void, LifecycleError | InputError> {
    const g = this.guard('reapply');
    if (!g.ok) return g;
    const next = { ...this.application(), ...stripUndefined(revision) };
    const problems = checkOnboardingApplication(next, knownUnits);
    if (problems.length)
      return err(new InputError('SERVICE_ITEM.INVALID_APPLICATION', 'The onboarding application is invalid', problems));
    this.props.name = next.name;
    this.props.description = next.description;
    this.props.offlineProcedure = next.offlineProcedure;
    this.props.involvedUnits = next.involvedUnits.includes(this.props.owningUnit)
      ? next.involvedUnits
      : [this.props.owningUnit, ...next.involvedUnits];
    this.props.state = g.value;
    this.props.approvals = [];
    this.touch(at);
    return ok(undefined);
  }

  /** Records that a version went online; the gate itself is checked by the caller. */
  launched(versionId: string, at: Date): Result<void, LifecycleError> {
    const g = this.guard('launch');
    if (!g.ok) return g;
    this.props.state = g.value;
    this.props.onlineVersionId = versionId;
    this.touch(at);
    return ok(undefined);
  }

  /** 变更申请: a change request is filed; the item stays in the catalogue while the IT Office decides. */
  changeRequested(at: Date): Result<void, LifecycleError> {
    return this.move('request_change', at);
  }

  /** The IT Office decided the pending change request: the item is simply online again. */
  changeDecided(decision: 'accept' | 'refuse', at: Date): Result<void, LifecycleError> {
    return this.move(decision === 'accept' ? 'accept_change' : 'refuse_change', at);
  }

  private move(command: LifecycleCommand, at: Date): Result<void, LifecycleError> {
    const g = this.guard(command);
    if (!g.ok) return g;
    this.props.state = g.value;
    this.touch(at);
    return ok(undefined);
  }

  requestOffboarding(reason: string, at: Date): Result<void, LifecycleError> {
    const g = this.guard('request_offboarding');
    if (!g.ok) return g;
    this.props.state = g.value;
    this.props.offboardingReason = reason;
    this.props.approvals = [];
    this.props.rejection = null;
    this.touch(at);
    return ok(undefined);
  }

  private phase(): 'onboarding' | 'offboarding' {
    return this.props.state === 'offboarding_pending' ? 'offboarding' : 'onboarding';
  }

  private application(): OnboardingApplication {
    const p = this.props;
    return {
      code: p.code,
      name: p.name,
      owningUnit: p.owningUnit,
      involvedUnits: p.involvedUnits,
      description: p.description,
      offlineProcedure: p.offlineProcedure,
    };
  }

  private touch(at: Date): void {
    this.props.updatedAt = at;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
