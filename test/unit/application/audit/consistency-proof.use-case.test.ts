import { expect } from 'chai';
import { auditHall, auditor, enforcer, stranger } from './audit-fixture.js';
import { failure, value } from '../../../fixtures/result.js';
import { ProveConsistencyUseCase } from '../../../../src/application/audit/prove-consistency.use-case.js';
import { VerifyConsistencyProofUseCase } from '../../../../src/application/audit/verify-consistency-proof.use-case.js';
import { leafHashHex } from '../../../../src/application/audit/audit-tree.js';
import { checkpointBody, signedNote } from '../../../../src/domain/audit/checkpoint.js';

/** A log checkpointed at 10, 13 and 20 entries, with 2 more after; the prover and the offline checker. */
async function checkpointed() {
  const h = auditHall();
  for (const n of [10, 3, 7]) {
    h.write(n);
    value(await h.checkpointsUseCase.publish());
  }
  h.write(2);
  await h.sequencer.runToEnd();
  const prove = new ProveConsistencyUseCase({
    ledger: h.ledger,
    checkpoints: h.checkpoints,
    sha256: h.sha256,
    enforcer,
  });
  const checker = new VerifyConsistencyProofUseCase({ sha256: h.sha256, notes: h.notes });
  const keys = await h.keys.verifierKeys();
  const check = (proof: unknown, o: { oldNotes?: string; newNotes?: string; trustedKeys?: string[] } = {}) =>
    checker.execute({ proof: JSON.stringify(proof), trustedKeys: keys, ...o });
  return { h, prove, check, keys };
}

describe('consistency proofs between checkpoints (in-memory ledger)', () => {
  it('proves the latest checkpoint extends an older one, carrying both notes; checked offline', async () => {
    const { h, prove, check } = await checkpointed();
    const doc = value(await prove.execute({ actor: auditor, from: 10 }));
    expect(doc).to.include({ fromSize: 10, toSize: 20 });
    expect(doc.fromCheckpoint).to.equal(h.checkpoints.rows[0]!.note);
    expect(doc.toCheckpoint).to.equal(h.checkpoints.rows[2]!.note);
    expect(doc.proof.length).to.be.greaterThan(0);
    const r = check(doc);
    expect(r, r.problems.join('; ')).to.include({ consistent: true, fromSize: 10, toSize: 20 });
    // with the old note the checker kept, and a whole checkpoint file as the old one
    expect(check(doc, { oldNotes: h.checkpoints.rows[0]!.note }).consistent).to.equal(true);
    expect(check(doc, { oldNotes: h.sink.notes.map((n) => `${n}\n`).join('') }).consistent).to.equal(true);
  });

  it('any size up to the checkpoint, without a note of its own; the same size; the empty tree', async () => {
    const { prove, check } = await checkpointed();
    const seven = value(await prove.execute({ actor: auditor, from: 7, to: 13 }));
    expect(seven.fromCheckpoint).to.equal(null);
    expect(check(seven).problems).to.deep.equal(['there is no old checkpoint (the proof carries none)']);
    const same = value(await prove.execute({ actor: auditor, from: 13, to: 13 }));
    expect(same.proof).to.deep.equal([]);
    expect(check(same).consistent).to.equal(true);
    const empty = value(await prove.execute({ actor: auditor, from: 0 }));
    expect(empty).to.include({ fromSize: 0, fromCheckpoint: null, toSize: 20 });
    expect(check(empty).consistent).to.equal(true);
  });

  it('refuses bad sizes naming the field, a size with no checkpoint, and anyone but auditors', async () => {
    const { h, prove } = await checkpointed();
    const code = async (o: { from: number; to?: number }) => {
      const e = failure(await prove.execute({ actor: auditor, ...o }));
      return [e.code, (e as { problems?: Array<{ path: string }> }).problems?.[0]?.path];
    };
    expect(await code({ from: 14, to: 13 })).to.deep.equal(['AUDIT.BAD_RANGE', '/from']);
    expect(await code({ from: 1, to: 23 })).to.deep.equal(['AUDIT.BAD_TREE_SIZE', '/to']);
    expect(await code({ from: 1, to: 21 })).to.deep.equal(['AUDIT.NO_CHECKPOINT', '/to']);
    expect(await code({ from: -1 })).to.deep.equal(['AUDIT.BAD_TREE_SIZE', '/from']);
    expect(await code({ from: 1.5 })).to.deep.equal(['AUDIT.BAD_TREE_SIZE', '/from']);
    expect(await code({ from: 1, to: Number.NaN })).to.deep.equal(['AUDIT.BAD_TREE_SIZE', '/to']);
    expect(failure(await prove.execute({ actor: stranger, from: 1 })).code).to.equal('AUTH.FORBIDDEN');
    const none = new ProveConsistencyUseCase({
      ledger: h.ledger,
      checkpoints: new (h.checkpoints.constructor as new () => typeof h.checkpoints)(),
      sha256: h.sha256,
      enforcer,
    });
    expect(failure(await none.execute({ actor: auditor, from: 1 })).code).to.equal('AUDIT.NO_CHECKPOINT');
  });

  it('a log altered under its checkpoints proves nothing (409)', async () => {
    const { h, prove } = await checkpointed();
    h.ledger.edit(4, (r) => {
      r.entry.actorId = 'T9999';
      r.hash = leafHashHex(h.sha256, { ...r.entry, seq: 4 });
    });
    expect(failure(await prove.execute({ actor: auditor, from: 10 })).code).to.equal('AUDIT.LOG_ALTERED');
  });

  it('offline: an old checkpoint of another history, validly signed (the log rewritten and signed again), is not extended', async () => {
    const { h, prove, check } = await checkpointed();
    const doc = value(await prove.execute({ actor: auditor, from: 10 }));
    const signer = await h.keys.signer();
    const fork = { origin: signer.keyName, treeSize: 10, rootHash: h.sha256.digest(new TextEncoder().encode('fork')) };
    const kept = signedNote(fork, [signer.sign(checkpointBody(fork))]);
    const r = check(doc, { oldNotes: kept });
    expect(r.consistent).to.equal(false);
    expect(r.problems.join('; ')).to.include('the consistency proof does not lead from the root of 10 entries');
    // without the stated roots the proof alone still fails
    const { fromRoot: _f, toRoot: _t, ...bare } = doc;
    expect(check(bare, { oldNotes: kept }).problems).to.have.length(1);
  });

  it('offline: a changed byte in a note, a proof hash or a root, another key, or swapped notes are each named', async () => {
    const { h, prove, check } = await checkpointed();
    const doc = value(await prove.execute({ actor: auditor, from: 10, to: 20 }));
    /** The character at `at` swapped for its neighbour. */
    const flip = (s: string, at: number) =>
      s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ 1) + s.slice(at + 1);
    /** One byte of a base64 hash changed (still base64 of 32 bytes). */
    const flipHash = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[3] = bytes[3]! ^ 1;
      return bytes.toString('base64');
    };
    const rootAt = (note: string) => note.indexOf('\n', note.indexOf('\n') + 1) + 3;
    const problems = (o: Parameters<typeof check>[1] & { doc?: unknown } = {}) =>
      check(o.doc ?? doc, o).problems.join('; ');

    expect(problems({ doc: { ...doc, toCheckpoint: flip(doc.toCheckpoint, rootAt(doc.toCheckpoint)) } })).to.include(
      "the new checkpoint's signature does not verify",
    );
    expect(problems({ doc: { ...doc, fromCheckpoint: flip(doc.fromCheckpoint!, 1) } })).to.include(
      "the old checkpoint's signature does not verify",
    );
    expect(problems({ doc: { ...doc, proof: [flipHash(doc.proof[0]!), ...doc.proof.slice(1)] } })).to.include(
      'the consistency proof does not lead from the root of 10 entries to the root of 20',
    );
    expect(problems({ doc: { ...doc, proof: doc.proof.slice(1) } })).to.include('does not lead');
    expect(problems({ doc: { ...doc, fromRoot: flipHash(doc.fromRoot) } })).to.include("the proof's fromRoot is not");
    expect(problems({ doc: { ...doc, toRoot: flipHash(doc.toRoot) } })).to.include("the proof's toRoot is not");
    expect(problems({ doc: { ...doc, fromSize: 11 } })).to.include('the old checkpoint is of 10 entries');
    expect(problems({ doc: { ...doc, proof: ['x'] } })).to.include('hash 1 of the proof is not 32 bytes');
    expect(problems({ oldNotes: doc.toCheckpoint, newNotes: doc.fromCheckpoint! })).to.include(
      'the old checkpoint is of 20 entries',
    );
    await h.keys.rotate();
    const other = (await h.keys.verifierKeys())[0]!;
    expect(problems({ trustedKeys: [other] })).to.include('does not verify with the key(s) given');
    expect(problems({ trustedKeys: [] })).to.include('no verifier key given');
    expect(problems({ doc: 'not a proof' })).to.include('not a consistency proof document');
    expect(check(doc, {}).consistent).to.equal(true);
  });
});
