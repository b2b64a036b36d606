import { expect } from 'chai';
import { ChangeRequest, MAX_CHANGE_NEEDS, type ChangeNeed } from '../../../src/domain/service-item/change-request.js';
import { ConflictError, InputError } from '../../../src/domain/shared/errors.js';
import { failure, value } from '../../fixtures/result.js';

const T0 = new Date('2026-11-30T02:00:00.000Z');
const T1 = new Date('2026-12-01T03:00:00.000Z');
const file = (o: { reason?: string; needs?: ChangeNeed[] } = {}) =>
  ChangeRequest.file({
    id: 'cr-1',
    itemId: 'item-1',
    unit: 'finance',
    reason: o.reason ?? '报销新规',
    needs: o.needs ?? [{ aspect: 'form', description: '增加发票号' }],
    by: 'T0301',
    at: T0,
  });

describe('ChangeRequest (变更申请)', () => {
  it('is filed pending, with its reason and needs, undecided and with no draft', () => {
    expect(value(file()).snapshot()).to.deep.equal({
      id: 'cr-1',
      itemId: 'item-1',
      unit: 'finance',
      state: 'pending',
      reason: '报销新规',
      needs: [{ aspect: 'form', description: '增加发票号' }],
      requestedBy: 'T0301',
      requestedAt: T0.toISOString(),
      decision: null,
      versionId: null,
    });
  });

  it('names every missing or wrong part of a request', () => {
    const e = failure(
      file({
        reason: '  ',
        needs: [
          { aspect: 'form', description: ' ' },
          { aspect: 'colour' as ChangeNeed['aspect'], description: 'x' },
        ],
      }),
    );
    expect(e).to.be.instanceOf(InputError);
    expect((e as InputError).problems.map((p) => p.path)).to.deep.equal([
      '/reason',
      '/needs/0/description',
      '/needs/1/aspect',
    ]);
    expect((failure(file({ needs: [] })) as InputError).problems.map((p) => p.path)).to.deep.equal(['/needs']);
    const many = Array.from({ length: MAX_CHANGE_NEEDS + 1 }, () => ({ aspect: 'other' as const, description: 'x' }));
    expect((failure(file({ needs: many })) as InputError).problems.map((p) => p.path)).to.deep.equal(['/needs']);
  });

  it('accepted: names the draft it opened and who decided; then it cannot be decided again', () => {
    const r = value(file());
    value(r.decide({ decision: 'accept', comment: ' 同意 ' }, 'T0002', T1, 'v-2'));
    expect(r.snapshot()).to.deep.include({
      state: 'accepted',
      versionId: 'v-2',
      decision: { by: 'T0002', at: T1.toISOString(), comment: '同意' },
    });
    for (const again of [
      r.decide({ decision: 'accept' }, 'T0002', T1, 'v-3'),
      r.decide({ decision: 'refuse', reason: 'no' }, 'T0002', T1, 'v-3'),
    ]) {
      const e = failure(again);
      expect(e).to.be.instanceOf(ConflictError);
      expect(e.code).to.equal('CHANGE_REQUEST.ALREADY_DECIDED');
    }
    expect(r.snapshot().versionId).to.equal('v-2');
  });

  it('refused: only with a reason, and no draft', () => {
    const r = value(file());
    expect(failure(r.decide({ decision: 'refuse', reason: ' ' }, 'T0002', T1, 'v-2')).code).to.equal(
      'CHANGE_REQUEST.REASON_REQUIRED',
    );
    expect(r.state).to.equal('pending');
    value(r.decide({ decision: 'refuse', reason: '重复建设' }, 'T0002', T1, 'v-2'));
    expect(r.snapshot()).to.deep.include({
      state: 'refused',
      versionId: null,
      decision: { by: 'T0002', at: T1.toISOString(), comment: '重复建设' },
    });
  });
});
