import { expect } from 'chai';
import type { HistoryEntry } from '../../../src/domain/application/application-state.js';
import { revocationOf } from '../../../src/application/printouts/printout-content.js';

const entry = (seq: number, action: HistoryEntry['action'], extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  seq,
  at: new Date(Date.UTC(2026, 2, 1, 8, seq)).toISOString(),
  actor: 'T0101',
  action,
  ...extra,
});

describe('printout revocation (what happened after the printout was issued)', () => {
  const issuedAfter = 4;
  const before = [entry(1, 'saved'), entry(2, 'submitted'), entry(3, 'node-activated'), entry(4, 'approved')];

  it('nothing, or nothing that changes what it says: still valid', () => {
    expect(revocationOf(before, issuedAfter)).to.equal(null);
    expect(
      revocationOf(
        [...before, entry(5, 'approved'), entry(6, 'commented'), entry(7, 'node-passed'), entry(8, 'completed')],
        issuedAfter,
      ),
    ).to.equal(null);
  });

  it('what happened before it was issued does not count', () => {
    expect(
      revocationOf(
        [entry(1, 'submitted'), entry(2, 'returned'), entry(3, 'submitted'), entry(4, 'approved')],
        issuedAfter,
      ),
    ).to.equal(null);
  });

  it('withdrawn, cancelled, returned, a changed form or a rejection afterwards revoke it, with the time it happened', () => {
    const cases: Array<[HistoryEntry['action'], string]> = [
      ['withdrawn', 'withdrawn'],
      ['cancelled', 'cancelled'],
      ['returned', 'returned'],
      ['form-edited', 'form-changed'],
      ['application-rejected', 'rejected'],
    ];
    for (const [action, reason] of cases) {
      const revoking = entry(6, action);
      expect(revocationOf([...before, entry(5, 'commented'), revoking], issuedAfter), action).to.deep.equal({
        at: new Date(revoking.at),
        reason,
      });
    }
  });

  it('the first revoking event counts', () => {
    const returned = entry(5, 'returned');
    expect(
      revocationOf([...before, returned, entry(6, 'submitted'), entry(7, 'cancelled')], issuedAfter),
    ).to.deep.equal({ at: new Date(returned.at), reason: 'returned' });
  });
});
