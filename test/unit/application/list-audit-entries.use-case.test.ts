import { expect } from 'chai';
import { ListAuditEntriesUseCase } from '../../../src/application/audit/list-audit-entries.use-case.js';
import type { AuditEntry, AuditTrail } from '../../../src/application/ports/audit-log.port.js';
import type { PolicyEnforcer } from '../../../src/application/ports/policy-enforcer.port.js';
import { failure, value } from '../../fixtures/result.js';

/** Only T0003 (an auditor) may read the audit log. */
const enforcer = {
  can: async (r: { subject: string; unit: string; object: string; action: string }) =>
    r.subject === 'T0003' && r.unit === '*' && r.object === 'audit' && r.action === 'read',
} as unknown as PolicyEnforcer;

class FakeTrail implements AuditTrail {
  asked: Array<Parameters<AuditTrail['list']>[0]> = [];
  entry = {
    seq: 7,
    id: 'e7',
    actorId: 'T0301',
    action: 'service-item.applied',
    entityType: 'service-item',
    entityId: 'i1',
    at: new Date(0),
  } satisfies AuditEntry;
  async list(options: Parameters<AuditTrail['list']>[0]) {
    this.asked.push(options);
    return { items: [this.entry], nextCursor: 'next' };
  }
}

describe('ListAuditEntriesUseCase (fake trail and enforcer)', () => {
  it('gives an auditor the page the trail holds, with the filters as asked', async () => {
    const trail = new FakeTrail();
    const uc = new ListAuditEntriesUseCase({ auditTrail: trail, enforcer });
    const page = value(
      await uc.execute({
        actor: { personId: 'T0003', requestId: 'r' },
        entityType: 'service-item',
        actorId: 'T0301',
        action: 'service-item.applied',
        from: new Date(0),
        to: new Date(1000),
        limit: 20,
        cursor: 'c1',
      }),
    );
    expect(page).to.deep.equal({ items: [trail.entry], nextCursor: 'next' });
    expect(trail.asked).to.deep.equal([
      {
        entityType: 'service-item',
        actorId: 'T0301',
        action: 'service-item.applied',
        from: new Date(0),
        to: new Date(1000),
        limit: 20,
        cursor: 'c1',
      },
    ]);
  });

  it('refuses anyone else without reading the trail', async () => {
    const trail = new FakeTrail();
    const uc = new ListAuditEntriesUseCase({ auditTrail: trail, enforcer });
    const e = failure(await uc.execute({ actor: { personId: 'T0301', requestId: 'r' }, limit: 20 }));
    expect(e.code).to.equal('AUTH.FORBIDDEN');
    expect(e.kind).to.equal('not-allowed');
    expect(trail.asked).to.deep.equal([]);
  });
});
