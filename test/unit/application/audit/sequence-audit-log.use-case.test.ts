import { expect } from 'chai';
import { auditHall } from './audit-fixture.js';
import { leafHashHex } from '../../../../src/application/audit/audit-tree.js';

describe('SequenceAuditLogUseCase (in-memory ledger)', () => {
  it('gives every entry without a place the next seq, in the order written, with its leaf hash and the previous one', async () => {
    const h = auditHall();
    h.write(3);
    expect(await h.sequencer.run()).to.deep.equal({ sequenced: 3, size: 3, busy: false });
    h.write(6); // more than one batch of 4
    expect(await h.sequencer.runToEnd()).to.deep.equal({ sequenced: 6, size: 9 });
    const rows = await h.ledger.read({ fromSeq: 1, toSeq: 9 });
    expect(rows.map((r) => r.entry.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows.map((r) => r.entry.after)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ n })));
    for (const [i, r] of rows.entries()) {
      expect(r.hash).to.equal(leafHashHex(h.sha256, r.entry));
      expect(r.prevHash).to.equal(i ? rows[i - 1]!.hash : null);
    }
  });

  it('skips a round while another instance sequences, and waits for it when asked to finish', async () => {
    const h = auditHall();
    h.write(2);
    h.ledger.busy = true;
    expect(await h.sequencer.run()).to.deep.equal({ sequenced: 0, size: 0, busy: true });
    expect(await h.ledger.unsequenced()).to.equal(2);
    expect(await h.sequencer.runToEnd()).to.deep.equal({ sequenced: 2, size: 2 });
  });
});
