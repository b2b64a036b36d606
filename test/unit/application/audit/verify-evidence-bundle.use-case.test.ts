import { expect } from 'chai';
import { auditHall, auditor, enforcer } from './audit-fixture.js';
import { value } from '../../../fixtures/result.js';
import { ExportEvidenceUseCase } from '../../../../src/application/audit/export-evidence.use-case.js';
import { VerifyEvidenceBundleUseCase } from '../../../../src/application/audit/verify-evidence-bundle.use-case.js';

async function bundle() {
  const h = auditHall();
  h.write(7, { entity: () => ['application', 'A1'] });
  const uc = new ExportEvidenceUseCase({
    ledger: h.ledger,
    keys: h.keys,
    notes: h.notes,
    sha256: h.sha256,
    clock: h.clock,
    enforcer,
    checkpoints: h.checkpointsUseCase,
  });
  const text = value(await uc.execute({ actor: auditor, applicationId: 'A1' })).text;
  return { h, text, check: new VerifyEvidenceBundleUseCase({ sha256: h.sha256, notes: h.notes }) };
}

describe('VerifyEvidenceBundleUseCase (offline)', () => {
  it('passes the bundle as exported, and with the right key pinned', async () => {
    const { h, text, check } = await bundle();
    expect(check.execute({ text })).to.include({ valid: true, entries: 7, treeSize: 7 });
    const key = (await h.keys.signer()).verifierKey;
    expect(check.execute({ text, trustedKey: key }).valid).to.equal(true);
  });

  it('every byte counts: an entry, a proof, the signature, an entry removed, another key pinned', async () => {
    const { text, check } = await bundle();
    const lines = text.split('\n');
    const change = (i: number, from: RegExp, to: string | ((m: string) => string)) =>
      check.execute({
        text: lines.map((l, j) => (j === i ? l.replace(from, to as (m: string) => string) : l)).join('\n'),
      });
    const entry = change(5, /"actor_id":"T0002"/, '"actor_id":"T0003"');
    expect(entry.valid).to.equal(false);
    expect(entry.problems).to.deep.equal([
      "line 6 (entry seq 2): the entry and its inclusion proof do not lead to the checkpoint's root hash: the entry or its proof was altered",
    ]);
    const proof = change(6, /"proof":\["./, (m: string) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A'));
    expect(proof.problems.join()).to.match(/line 7 \(entry seq 3\).*proof/);
    const signature = change(2, /\u2014 (\S+) ./, (m: string) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A'));
    expect(signature.problems.join()).to.include("line 3: the checkpoint's signature does not verify");
    const removed = check.execute({ text: lines.filter((_, j) => j !== 8).join('\n') });
    expect(removed.problems.join()).to.include('entries were added or removed');
    expect(check.execute({ text, trustedKey: 'other/log+00000000+AQ==' }).problems.join()).to.include(
      'not the key you gave',
    );
    expect(check.execute({ text: 'not a bundle\n' }).valid).to.equal(false);
  });
});
