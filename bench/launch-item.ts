import type { Container } from '../src/adapters/composition/container.js';
import type { DomainError } from '../src/domain/shared/errors.js';
import type { Result } from '../src/domain/shared/result.js';

const must = <T>(r: Result<T, DomainError>): T => {
  if (!r.ok) throw r.error;
  return r.value;
};
const actor = (personId: string) => ({ personId, requestId: 'bench' });

/**
 * A finance item shaped like the demo's: a review offered to a role pool (claim first), an approval
 * by a named person only for amounts over 1,000 (a condition), and completion by the pool again.
 */
export function pooledDefinition(unit: string, approver: string) {
  return {
    form: {
      type: 'object',
      required: ['amount'],
      properties: { amount: { type: 'number' }, purpose: { type: 'string' } },
    },
    nodes: [
      { key: 'apply', kind: 'start', name: '申请' },
      {
        key: 'check',
        kind: 'review',
        name: '审核',
        handlers: { type: 'role', role: 'handler', unit },
        timeLimit: { workingDays: 2 },
      },
      {
        key: 'big',
        kind: 'approve',
        name: '大额审批',
        handlers: { type: 'people', people: [approver] },
        condition: { '>': [{ var: 'form.amount' }, 1000] },
        timeLimit: { workingDays: 1 },
      },
      {
        key: 'done',
        kind: 'complete',
        name: '办结',
        handlers: { type: 'role', role: 'handler', unit },
        timeLimit: { workingDays: 1 },
      },
    ],
  };
}

/** A finance item online with the given process, through the real use cases. */
export async function launchItem(c: Container, code: string, definition: unknown): Promise<string> {
  const item = must(
    await c.useCases.applyOnboarding.execute({
      actor: actor('T0301'),
      application: {
        code,
        name: `基准事项${code}`,
        owningUnit: 'finance',
        involvedUnits: [],
        description: 'benchmark',
        offlineProcedure: '线下办理',
      },
    }),
  );
  const decide = c.useCases.decideServiceItem;
  must(await decide.execute({ actor: actor('T0001'), itemId: item.id, decision: 'approve' }));
  must(await decide.execute({ actor: actor('T0002'), itemId: item.id, decision: 'approve' }));
  const version = must(
    await c.useCases.defineProcess.execute({ actor: actor('T0301'), itemId: item.id, definition: definition as never }),
  );
  must(await c.useCases.confirmVersion.execute({ actor: actor('T0301'), itemId: item.id, versionId: version.id }));
  must(await c.useCases.launchVersion.execute({ actor: actor('T0301'), itemId: item.id, versionId: version.id }));
  return item.id;
}
