import { expect } from 'chai';
import { auditHall, auditor, enforcer, stranger } from './audit-fixture.js';
import { failure, value } from '../../../fixtures/result.js';
import { ExportEvidenceUseCase } from '../../../../src/application/audit/export-evidence.use-case.js';
import { VerifyEvidenceBundleUseCase } from '../../../../src/application/audit/verify-evidence-bundle.use-case.js';

function exporter() {
  const h = auditHall();
  const uc = new ExportEvidenceUseCase({
    ledger: h.ledger,
    keys: h.keys,
    notes: h.notes,
    sha256: h.sha256,
    clock: h.clock,
    enforcer,
    checkpoints: h.checkpointsUseCase,
  });
  const check = new VerifyEvidenceBundleUseCase({ sha256: h.sha256, notes: h.notes });
  return { h, uc, check };
}

describe('ExportEvidenceUseCase (in-memory ledger)', () => {
  it("a person's entries (made by them or about them), each with its proof against a fresh checkpoint", async () => {
    const { h, uc, check } = exporter();
    h.write(12, {
      actor: (i) => (i % 4 === 0 ? 'T0301' : 'T0002'),
      entity: (i) => ['person', i === 5 ? 'T0301' : 'T0900'],
    });
    const out = value(await uc.execute({ actor: auditor, personId: 'T0301' }));
    expect(out.entries).to.equal(4);
    expect(out.treeSize).to.equal(12);
    expect(h.checkpoints.rows).to.have.length(1);
    expect(out.fileName).to.equal('audit-evidence-T0301-20261130T020000Z.jsonl');
    const lines = out.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { section: string; seq?: number });
    expect(lines.map((l) => l.section)).to.deep.equal([
      'readme',
      'bundle',
      'checkpoint',
      'public-key',
      'entry',
      'entry',
      'entry',
      'entry',
    ]);
    expect(lines.slice(4).map((l) => l.seq)).to.deep.equal([1, 5, 6, 9]);
    expect(check.execute({ text: out.text })).to.include({ valid: true, entries: 4, treeSize: 12 });
  });

  it('an application, and a time range', async () => {
    const { h, uc } = exporter();
    h.write(6, { entity: (i) => ['application', i < 2 ? 'A1' : 'A2'] });
    expect(value(await uc.execute({ actor: auditor, applicationId: 'A1' })).entries).to.equal(2);
    const range = value(
      await uc.execute({
        actor: auditor,
        from: new Date(Date.UTC(2026, 10, 20, 8, 1)),
        to: new Date(Date.UTC(2026, 10, 20, 8, 4)),
      }),
    );
    expect(range.entries).to.equal(3);
  });

  it('refuses anyone but auditors and the IT Office, a question about nothing, an empty range', async () => {
    const { h, uc } = exporter();
    h.write(2);
    expect(failure(await uc.execute({ actor: stranger, personId: 'T0002' })).code).to.equal('AUTH.FORBIDDEN');
    const unscoped = failure(await uc.execute({ actor: auditor }));
    expect(unscoped.code).to.equal('AUDIT.EVIDENCE_UNSCOPED');
    const at = new Date('2026-11-20T08:00:00Z');
    expect(failure(await uc.execute({ actor: auditor, from: at, to: at })).code).to.equal('AUDIT.BAD_RANGE');
  });

  it('exports nothing from a log altered since it was sequenced', async () => {
    const { h, uc } = exporter();
    h.write(3);
    await h.sequencer.runToEnd();
    h.ledger.edit(2, (r) => (r.entry.actorId = 'T9999'));
    expect(failure(await uc.execute({ actor: auditor, personId: 'T9999' })).code).to.equal('AUDIT.LOG_ALTERED');
  });
});
