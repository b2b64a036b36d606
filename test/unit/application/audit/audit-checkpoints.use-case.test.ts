import { expect } from 'chai';
import { auditHall, auditor, stranger } from './audit-fixture.js';
import { value, failure } from '../../../fixtures/result.js';
import { fromHex } from '../../../../src/domain/audit/checkpoint.js';
import { treeRoot } from '../../../../src/domain/audit/merkle.js';
import { hashFnOf } from '../../../../src/application/audit/audit-tree.js';

describe('AuditCheckpointsUseCase (in-memory ledger, real Ed25519)', () => {
  it('sequences, then signs a checkpoint of the whole tree, keeps it and sends it to the sink', async () => {
    const h = auditHall();
    h.write(5);
    const { checkpoint, published } = value(await h.checkpointsUseCase.publish());
    expect(published).to.equal(true);
    expect(checkpoint.treeSize).to.equal(5);
    const leaves = (await h.ledger.leafHashes(1, 5)).map((x) => fromHex(x)!);
    expect(checkpoint.rootHash).to.equal(Buffer.from(treeRoot(hashFnOf(h.sha256), leaves)).toString('hex'));
    expect(h.checkpoints.rows).to.have.length(1);
    expect(h.sink.notes).to.deep.equal([checkpoint.note]);
    const check = h.notes.verify(checkpoint.note, await h.keys.verifierKeys());
    expect(check).to.include({ ok: true, treeSize: 5, origin: 'hall.test/audit-log' });
  });

  it('publishes nothing new while the latest checkpoint covers every entry', async () => {
    const h = auditHall();
    h.write(2);
    value(await h.checkpointsUseCase.publish());
    expect(value(await h.checkpointsUseCase.publish()).published).to.equal(false);
    expect(h.checkpoints.rows).to.have.length(1);
  });

  it('refuses to sign over a log that no longer extends the latest checkpoint', async () => {
    const h = auditHall();
    h.write(4);
    value(await h.checkpointsUseCase.publish());
    h.ledger.edit(2, (r) => (r.hash = 'ff'.repeat(32)));
    h.write(1);
    expect(failure(await h.checkpointsUseCase.publish()).code).to.equal('AUDIT.LOG_ALTERED');
    expect(h.checkpoints.rows).to.have.length(1);
  });

  it('on demand only for who reads the audit log; key rotation only for who exports it, old checkpoints still verify', async () => {
    const h = auditHall();
    h.write(1);
    expect(failure(await h.checkpointsUseCase.publishAs(stranger)).code).to.equal('AUTH.FORBIDDEN');
    const first = value(await h.checkpointsUseCase.publishAs(auditor)).checkpoint;
    expect(failure(await h.checkpointsUseCase.rotateKey(stranger)).code).to.equal('AUTH.FORBIDDEN');
    const rotated = value(await h.checkpointsUseCase.rotateKey(auditor));
    expect(rotated.retiredKeyId).to.equal(first.keyId);
    expect(rotated.keyId).to.not.equal(first.keyId);
    h.write(1);
    const second = value(await h.checkpointsUseCase.publish()).checkpoint;
    expect(second.keyId).to.equal(rotated.keyId);
    const keys = await h.keys.verifierKeys();
    expect(h.notes.verify(first.note, keys).ok).to.equal(true);
    expect(h.notes.verify(second.note, keys).ok).to.equal(true);
  });
});
