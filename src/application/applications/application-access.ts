import type { Application } from '../../domain/application/application.entity.js';
import { formFor, type FormReader } from '../../domain/application/form-access.js';
import { NotFoundError, NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { ApplicationRepository } from '../ports/application.repository.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { ServiceItemRepository } from '../ports/service-item.repository.port.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';

export async function loadApplication(
  repo: ApplicationRepository,
  id: string,
  forUpdate = false,
): Promise<Result<Application, NotFoundError>> {
  const a = await repo.findById(id, { forUpdate });
  return a ? ok(a) : err(new NotFoundError('APPLICATION.NOT_FOUND', `application '${id}' does not exist`));
}

/**
 * Who handles an application: anyone holding or having held one of its tasks, or offered an open
 * one through a role they hold.
 */
export async function handles(enforcer: PolicyEnforcer, person: string, a: Application): Promise<boolean> {
  return (await handledSteps(enforcer, person, a)).size > 0;
}

/** The steps (node keys) of an application a person handles, in the sense of `handles`. */
async function handledSteps(enforcer: PolicyEnforcer, person: string, a: Application): Promise<Set<string>> {
  const roles = await enforcer.rolesOf({ subject: person });
  const offered = (t: Application['tasks'][number]) =>
    t.status === 'open' &&
    t.candidate &&
    roles.some((r) => r.role === t.candidate!.role && r.unit === t.candidate!.unit);
  return new Set(
    a.tasks.filter((t) => t.assignee === person || t.actedBy === person || offered(t)).map((t) => t.nodeKey),
  );
}

/**
 * Who may write in an application's history: its applicant and its handlers. Everyone else who
 * may read it (those it was copied to, service admins, the global offices, auditors) only reads.
 */
export async function mayComment(enforcer: PolicyEnforcer, person: string, a: Application): Promise<boolean> {
  return a.applicantId === person || (await handles(enforcer, person, a));
}

/**
 * Who may read an application: its applicant; anyone holding, having held or offered one of its
 * tasks; and, by policy, the service admins of the item's units and the global offices and auditors.
 */
export async function mayRead(
  deps: { enforcer: PolicyEnforcer; items: ServiceItemRepository },
  person: string,
  a: Application,
): Promise<boolean> {
  if (a.applicantId === person || a.current.copiedTo.includes(person)) return true;
  if (await handles(deps.enforcer, person, a)) return true;
  const item = await deps.items.findById(a.current.itemId);
  for (const unit of [ALL_UNITS, ...(item?.involvedUnits ?? [])]) {
    if (await deps.enforcer.can({ subject: person, unit, object: 'application', action: 'read' })) return true;
  }
  return false;
}

/**
 * What a person reads an application as (see FormReader), or null when they may not read it: the
 * same people as `mayRead`, with the steps that decide which of the form's fields they see.
 */
export async function readerOf(
  deps: { enforcer: PolicyEnforcer; scope: Pick<TransactionScope, 'serviceItems' | 'applications'> },
  person: string,
  a: Application,
): Promise<FormReader | null> {
  const nodes = await handledSteps(deps.enforcer, person, a);
  if (a.current.copiedTo.includes(person)) {
    for (const h of await deps.scope.applications.entries(a.id)) {
      const to = (h.detail as { to?: unknown } | undefined)?.to;
      if (h.action === 'copied' && h.node && Array.isArray(to) && to.includes(person)) nodes.add(h.node);
    }
  }
  // an overseer globally or of the owning unit; the item (its other involved units) is read only
  // for someone who reads it at no step: a handler's view is their steps'
  const oversees = (unit: string) =>
    deps.enforcer.can({ subject: person, unit, object: 'application', action: 'read' });
  let overseer = (await oversees(ALL_UNITS)) || (await oversees(a.owningUnit));
  if (!overseer && nodes.size === 0) {
    const item = await deps.scope.serviceItems.findById(a.current.itemId);
    for (const unit of item?.involvedUnits ?? []) if (!overseer) overseer = await oversees(unit);
  }
  const applicant = a.applicantId === person;
  const readable = applicant || nodes.size > 0 || overseer || a.current.copiedTo.includes(person);
  return readable ? { applicant, nodes: [...nodes], overseer } : null;
}

/** The application's form as `reader` may see it: the fields of their steps, personal ones masked where not needed. */
export function formSeenBy(a: Application, reader: FormReader): Record<string, unknown> {
  return reader.applicant ? { ...a.current.form } : formFor(a.current.form, a.process, reader);
}

/** The form as one person may see it in a view: all of it for the applicant, else as `readerOf` says. */
export async function formOf(
  deps: {
    enforcer: PolicyEnforcer;
    scope: Pick<TransactionScope, 'serviceItems' | 'applications'>;
  },
  person: string,
  a: Application,
): Promise<Record<string, unknown>> {
  if (a.applicantId === person) return { ...a.current.form };
  const reader = await readerOf(deps, person, a);
  return reader ? formSeenBy(a, reader) : {};
}

export const forbidden = () => err(new NotAllowedError('AUTH.FORBIDDEN', 'you may not see this application'));
