import { expect } from 'chai';
import { RoleFiling } from '../../../src/domain/people/role-filing.js';
import type { InputError } from '../../../src/domain/shared/errors.js';
import { failure, value } from '../../fixtures/result.js';

const T0 = new Date('2026-11-30T02:00:00.000Z');
const file = (o: Partial<Parameters<typeof RoleFiling.file>[0]> = {}) =>
  RoleFiling.file({
    id: 'f-1',
    subject: 'T0911',
    role: 'handler',
    unit: 'finance',
    items: [{ itemId: 'i-1', nodes: ['check'] }],
    reason: '新进',
    certificationId: null,
    by: 'T0301',
    at: T0,
    ...o,
  });

describe('RoleFiling (备案)', () => {
  it('is filed pending and undecided', () => {
    expect(value(file()).snapshot()).to.deep.include({ state: 'pending', decision: null, filedAt: T0.toISOString() });
  });

  it('names a blank reason, an item listed twice and a node listed twice', () => {
    const e = failure(
      file({
        reason: ' ',
        items: [
          { itemId: 'i-1', nodes: ['check', 'check'] },
          { itemId: 'i-1', nodes: [] },
        ],
      }),
    ) as InputError;
    expect(e.problems.map((p) => p.path)).to.deep.equal(['/reason', '/items/0/nodes/1', '/items/1/itemId']);
  });

  it('is decided once: accepted with a comment, or refused only with a reason', () => {
    const f = value(file());
    expect(failure(f.decide({ decision: 'refuse', reason: '' }, 'T0002', T0)).code).to.equal(
      'ROLE_FILING.REASON_REQUIRED',
    );
    value(f.decide({ decision: 'accept', comment: '同意' }, 'T0002', T0));
    expect(f.snapshot()).to.deep.include({
      state: 'accepted',
      decision: { by: 'T0002', at: T0.toISOString(), comment: '同意' },
    });
    expect(failure(f.decide({ decision: 'refuse', reason: 'no' }, 'T0002', T0)).code).to.equal(
      'ROLE_FILING.ALREADY_DECIDED',
    );
  });
});
