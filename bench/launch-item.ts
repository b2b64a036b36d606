import type { Container } from 'inversify';
import type { DomainError } from '../src/domain/shared/errors.js';
import type { Result } from '../src/domain/shared/result.js';
import { USE_CASES } from '../src/adapters/composition/tokens.js';
import type { ApplyOnboardingUseCase } from '../src/application/service-items/apply-onboarding/apply-onboarding.use-case.js';
import type { DecideServiceItemUseCase } from '../src/application/service-items/decide-service-item/decide-service-item.use-case.js';
import type { DefineProcessUseCase } from '../src/application/service-items/define-process/define-process.use-case.js';
import type { ConfirmVersionUseCase } from '../src/application/service-items/confirm-version/confirm-version.use-case.js';
import type { LaunchVersionUseCase } from '../src/application/service-items/launch-version/launch-version.use-case.js';

const must = <T>(r: Result<T, DomainError>): T => { if (!r.ok) throw r.error; return r.value; };
const actor = (personId: string) => ({ personId, requestId: 'bench' });

/**
 * A finance item shaped like the demo's: a review offered to a role pool (claim first), an approval
 * by a named person only for amounts over 1,000 (a condition), and completion by the pool again.
 */
export function pooledDefinition(unit: string, approver: string) {
  return {
    form: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' }, purpose: { type: 'string' } } },
    nodes: [
      { key: 'apply', kind: 'start', name: '申请' },
      { key: 'check', kind: 'review', name: '审核', handlers: { type: 'role', role: 'handler', unit }, timeLimit: { workingDays: 2 } },
      { key: 'big', kind: 'approve', name: '大额审批', handlers: { type: 'people', people: [approver] }, condition: { '>': [{ var: 'form.amount' }, 1000] }, timeLimit: { workingDays: 1 } },
      { key: 'done', kind: 'complete', name: '办结', handlers: { type: 'role', role: 'handler', unit }, timeLimit: { workingDays: 1 } },
    ],
  };
}

/** A finance item online with the given process, through the real use cases. */
export async function launchItem(c: Container, code: string, definition: unknown): Promise<string> {
  const item = must(await c.get<ApplyOnboardingUseCase>(USE_CASES.applyOnboarding).execute({ actor: actor('T0301'), application: {
    code, name: `基准事项${code}`, owningUnit: 'finance', involvedUnits: [], description: 'benchmark', offlineProcedure: '线下办理' } }));
  const decide = c.get<DecideServiceItemUseCase>(USE_CASES.decideServiceItem);
  must(await decide.execute({ actor: actor('T0001'), itemId: item.id, decision: 'approve' }));
  must(await decide.execute({ actor: actor('T0002'), itemId: item.id, decision: 'approve' }));
  const version = must(await c.get<DefineProcessUseCase>(USE_CASES.defineProcess).execute({ actor: actor('T0301'), itemId: item.id, definition: definition as never }));
  must(await c.get<ConfirmVersionUseCase>(USE_CASES.confirmVersion).execute({ actor: actor('T0301'), itemId: item.id, versionId: version.id }));
  must(await c.get<LaunchVersionUseCase>(USE_CASES.launchVersion).execute({ actor: actor('T0301'), itemId: item.id, versionId: version.id }));
  return item.id;
}
