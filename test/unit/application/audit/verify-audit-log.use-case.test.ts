import { expect } from 'chai';
import { auditHall, auditor, stranger } from './audit-fixture.js';
import { failure, value } from '../../../fixtures/result.js';
import { VerifyAuditLogUseCase } from '../../../../src/application/audit/verify-audit-log.use-case.js';
import { enforcer } from './audit-fixture.js';
import { checkpointBody, signedNote } from '../../../../src/domain/audit/checkpoint.js';
import { treeRoot } from '../../../../src/domain/audit/merkle.js';
import { hashFnOf } from '../../../../src/application/audit/audit-tree.js';

/** A log of 10 entries under a checkpoint, and its verifier. */
async function checkpointed() {
  const h = auditHall();
  h.write(10);
  value(await h.checkpointsUseCase.publish());
  const uc = new VerifyAuditLogUseCase({
    ledger: h.ledger,
    checkpoints: h.checkpoints,
    keys: h.keys,
    notes: h.notes,
    sha256: h.sha256,
    enforcer,
    sequencer: h.sequencer,
  });
  return {
    h,
    verify: async (o: { fromSeq?: number; toSeq?: number; externalNotes?: string[] } = {}) =>
      value(await uc.execute({ actor: auditor, ...o })),
    uc,
  };
}

describe('VerifyAuditLogUseCase (in-memory ledger)', () => {
  it('an intact log passes, with entries written after the checkpoint', async () => {
    const { h, verify } = await checkpointed();
    h.write(3);
    const r = await verify();
    expect(r).to.include({ ok: true, size: 13, firstBadSeq: null });
    expect(r.checked).to.deep.equal({ from: 1, to: 13, entries: 13 });
  });

  it('an edited entry is named by its seq', async () => {
    const { h, verify } = await checkpointed();
    h.ledger.edit(4, (r) => (r.entry.actorId = 'T9999'));
    const r = await verify();
    expect(r.firstBadSeq).to.equal(4);
    expect(r.problems.find((p) => p.kind === 'altered')?.seq).to.equal(4);
  });

  it('an edit whose stored hash was recomputed too is caught by the checkpoint, which bounds it', async () => {
    const { h, verify } = await checkpointed();
    const { leafHashHex } = await import('../../../../src/application/audit/audit-tree.js');
    h.ledger.edit(6, (r) => {
      r.entry.actorId = 'T9999';
      r.hash = leafHashHex(h.sha256, { ...r.entry, seq: 6 });
    });
    const r = await verify();
    expect(r.ok).to.equal(false);
    expect(r.problems.find((p) => p.kind === 'checkpoint')).to.include({ seq: 1, upTo: 10 });
  });

  it('a deleted entry, an entry moved up by one, and a cut tail are each named', async () => {
    const deleted = await checkpointed();
    deleted.h.ledger.rows = deleted.h.ledger.rows.filter((r) => r.entry.seq !== 3);
    expect((await deleted.verify()).firstBadSeq).to.equal(3);

    const moved = await checkpointed();
    moved.h.ledger.rows = moved.h.ledger.rows.filter((r) => r.entry.seq !== 5);
    for (const r of moved.h.ledger.rows) if (r.entry.seq! > 5) r.entry.seq = r.entry.seq! - 1;
    const m = await moved.verify();
    expect(m.firstBadSeq).to.equal(5);
    expect(m.problems[0]?.kind).to.be.oneOf(['moved', 'checkpoint']);

    const cut = await checkpointed();
    cut.h.ledger.rows = cut.h.ledger.rows.filter((r) => r.entry.seq! <= 7);
    const c = await cut.verify();
    expect(c.firstBadSeq).to.equal(8);
    expect(c.problems.find((p) => p.kind === 'truncated')).to.include({ seq: 8, upTo: 10 });
  });

  it('a checkpoint signed by no known key, and one from outside the database that disagrees, are reported', async () => {
    const { h, verify } = await checkpointed();
    const note = h.checkpoints.rows[0]!.note;
    h.checkpoints.rows[0]!.note = note.replace(/\n10\n/, '\n9\n');
    const r = await verify({ externalNotes: [note] });
    expect(r.problems.some((p) => p.kind === 'signature' && p.message.includes('checkpoint 1'))).to.equal(true);
    // the outside copy is intact and still anchors the tree
    expect(r.checkpoints.checked).to.equal(1);
  });

  it('--from/--to limits the entries recomputed; only auditors and the IT Office verify', async () => {
    const { h, verify, uc } = await checkpointed();
    h.ledger.edit(2, (r) => (r.entry.action = 'role.revoked'));
    const r = await verify({ fromSeq: 5, toSeq: 8 });
    expect(r.checked).to.deep.equal({ from: 5, to: 8, entries: 4 });
    expect(r.problems.some((p) => p.kind === 'altered')).to.equal(false);
    expect(failure(await uc.execute({ actor: stranger })).code).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.execute({ actor: auditor, fromSeq: 5, toSeq: 2 })).code).to.equal('AUDIT.BAD_RANGE');
  });

  describe('consistency between the checkpoints (RFC 9162 2.1.4)', () => {
    /** A note of `size` entries with this root, validly signed with the hall's key. */
    async function signed(h: Awaited<ReturnType<typeof checkpointed>>['h'], size: number, root: Uint8Array) {
      const signer = await h.keys.signer();
      const c = { origin: signer.keyName, treeSize: size, rootHash: root };
      return signedNote(c, [signer.sign(checkpointBody(c))]);
    }
    /** The root of a different history of `size` entries. */
    const otherRoot = (h: Awaited<ReturnType<typeof checkpointed>>['h'], size: number) =>
      treeRoot(
        hashFnOf(h.sha256),
        Array.from({ length: size }, (_, i) => h.sha256.digest(new TextEncoder().encode(`forged ${i}`))),
      );

    it('checkpoints in the database and outside it, each extending the one before, are consistent', async () => {
      const { h, verify } = await checkpointed();
      h.write(3);
      value(await h.checkpointsUseCase.publish());
      h.write(5);
      value(await h.checkpointsUseCase.publish());
      const r = await verify({ externalNotes: h.sink.notes });
      expect(r.ok, JSON.stringify(r.problems)).to.equal(true);
      expect(r.checkpoints.checked).to.equal(6);
    });

    it('a validly signed checkpoint of another history is not consistent with the next one, naming both sizes', async () => {
      const { h, verify } = await checkpointed();
      h.write(3);
      value(await h.checkpointsUseCase.publish());
      // the first checkpoint re-signed over another root of 10 entries (a key used to sign a fork)
      const forged = await signed(h, 10, otherRoot(h, 10));
      h.checkpoints.rows[0]!.note = forged;
      h.checkpoints.rows[0]!.rootHash = Buffer.from(otherRoot(h, 10)).toString('hex');
      const r = await verify();
      expect(r.ok).to.equal(false);
      const bad = r.problems.filter((p) => p.kind === 'inconsistent');
      expect(bad).to.have.length(1);
      expect(bad[0]).to.deep.include({ seq: null, sizes: { from: 10, to: 13 } });
      expect(bad[0]!.message).to.include('the checkpoints of 10 and 13 entries');
      // the tree itself says which one it does not match
      expect(r.problems.find((p) => p.kind === 'checkpoint')).to.include({ seq: 1, upTo: 10 });
    });

    it('an outside checkpoint between two stored ones, or of the same size with another root, is reported', async () => {
      const { h, verify } = await checkpointed();
      h.write(6);
      value(await h.checkpointsUseCase.publish());
      const between = await signed(h, 12, otherRoot(h, 12));
      const r = await verify({ externalNotes: [between] });
      const pairs = r.problems.filter((p) => p.kind === 'inconsistent').map((p) => p.sizes);
      expect(pairs).to.deep.equal([
        { from: 10, to: 12 },
        { from: 12, to: 16 },
      ]);

      const sameSize = await signed(h, 16, otherRoot(h, 16));
      const s = await verify({ externalNotes: [sameSize] });
      expect(s.problems.filter((p) => p.kind === 'inconsistent').map((p) => p.sizes)).to.deep.equal([
        { from: 16, to: 16 },
      ]);
    });

    it('a checkpoint beyond a cut tail is reported as the cut, not as an inconsistency', async () => {
      const { h, verify } = await checkpointed();
      h.write(4);
      value(await h.checkpointsUseCase.publish());
      h.ledger.rows = h.ledger.rows.filter((r) => r.entry.seq! <= 12);
      const r = await verify();
      expect(r.problems.map((p) => p.kind)).to.deep.equal(['truncated']);
    });
  });
});
