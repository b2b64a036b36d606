import type { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import type { Application } from '../../domain/application/application.entity.js';
import { formatCaseNumber } from '../../domain/application/case-number.js';
import type { ProcessDefinition } from '../../domain/process-definition/process-definition.js';
import type { ServiceItem } from '../../domain/service-item/service-item.entity.js';
import { InputError, type ConflictError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Clock } from '../ports/clock.port.js';
import type { Metrics } from '../ports/metrics.port.js';
import type { FormValidator } from '../ports/form-validator.port.js';
import type { ConditionEvaluator } from '../ports/condition-evaluator.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { engineContext } from './engine-context.js';
import { enqueueConnectorCalls } from './connector-calls.js';

export interface ApplicationDeps {
  uow: UnitOfWork;
  enforcer: PolicyEnforcer;
  organisation: Organisation;
  clock: Clock;
  formValidator: FormValidator;
  conditions: ConditionEvaluator;
  calendar: WorkingCalendar;
  caseNumberPattern: string;
  /** Decisions are timed for operations (how long a task stood open). */
  metrics: Pick<Metrics, 'taskDecided'>;
}

export function checkForm(
  deps: Pick<ApplicationDeps, 'formValidator'>,
  versionId: string,
  definition: ProcessDefinition,
  form: unknown,
): Result<void, InputError> {
  const problems = deps.formValidator.validate({ key: versionId, schema: definition.form, data: form });
  return problems.length
    ? err(
        new InputError(
          'APPLICATION.INVALID_FORM',
          'The form is invalid',
          problems.map((p) => ({ ...p, path: `/form${p.path === '/' ? '' : p.path}` })),
        ),
      )
    : ok(undefined);
}

/** Gives the application its case number (first submission only) and starts its process run; every read through the transaction. */
export async function submitInScope(
  deps: ApplicationDeps,
  scope: TransactionScope,
  a: Application,
  item: ServiceItem,
  definition: ProcessDefinition,
  at: Date,
): Promise<Result<void, ConflictError>> {
  const { applicant, caseNumber: existing, form } = a.current;
  let caseNumber = existing;
  if (!caseNumber) {
    const year = at.getFullYear();
    const { seq, unitCode } = await scope.caseNumbers.next({ year, unit: item.owningUnit });
    caseNumber = formatCaseNumber(deps.caseNumberPattern, { year, unit: unitCode, seq });
  }
  const ctx = await engineContext(deps, scope.organisation, {
    definition,
    applicant,
    form,
    owningUnit: item.owningUnit,
    at,
  });
  const r = a.submit(caseNumber, ctx) as Result<void, ConflictError>;
  if (r.ok) await enqueueConnectorCalls(scope, a);
  return r;
}
