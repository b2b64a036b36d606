import { expect } from 'chai';
import { ConflictError, InputError } from '../../../src/domain/shared/errors.js';
import type { Result } from '../../../src/domain/shared/result.js';
import { failure, value } from '../../fixtures/result.js';
import {
  ServiceItem,
  type ApprovingOffice,
  type OnboardingApplication,
  type ServiceItemProps,
} from '../../../src/domain/service-item/service-item.entity.js';
import type { LifecycleCommand, ServiceItemState } from '../../../src/domain/service-item/service-item-lifecycle.js';

const UNITS: ReadonlySet<string> = new Set(['academic-affairs', 'student-affairs', 'computer-college', 'library']);
const at = (minute: number): Date => new Date(Date.UTC(2024, 2, 1, 8, minute));
const T0 = at(0);

const application = (over: Partial<OnboardingApplication> = {}): OnboardingApplication => ({
  code: 'JW-ZDZM',
  name: '在读证明',
  owningUnit: 'academic-affairs',
  involvedUnits: ['student-affairs'],
  description: '开具在读证明',
  offlineProcedure: '到教务处窗口办理',
  ...over,
});

const applied = (): ServiceItem => value(ServiceItem.apply('si-1', application(), 'u-clerk', T0, UNITS));

function approveBoth(item: ServiceItem, minute: number): void {
  value(item.approve('president-office', 'u-president', at(minute)));
  expect(value(item.approve('it-office', 'u-it', at(minute + 1)))).to.deep.equal({ completed: true });
}

/** Builds an item in `state` through the public methods only. */
function reach(state: ServiceItemState): ServiceItem {
  const item = applied();
  if (state === 'onboarding_pending') return item;
  if (state === 'onboarding_rejected') {
    value(item.reject('it-office', 'incomplete', 'u-it', at(1)));
    return item;
  }
  approveBoth(item, 1);
  if (state === 'building') return item;
  value(item.launched('v1', at(3)));
  if (state === 'online') return item;
  if (state === 'change_pending') {
    value(item.changeRequested(at(4)));
    return item;
  }
  value(item.requestOffboarding('merged into another item', at(4)));
  if (state === 'offboarding_pending') return item;
  approveBoth(item, 5);
  return item;
}

const props = (state: ServiceItemState): ServiceItemProps => ({
  id: 'si-2',
  code: 'XG-QJ',
  name: '请假',
  owningUnit: 'student-affairs',
  involvedUnits: ['student-affairs', 'computer-college'],
  description: 'd',
  offlineProcedure: 'o',
  state,
  approvals: [],
  rejection: null,
  offboardingReason: null,
  onlineVersionId: ['online', 'change_pending', 'offboarding_pending', 'offline'].includes(state) ? 'v7' : null,
  lockVersion: 3,
  createdBy: 'u-1',
  createdAt: T0,
  updatedAt: T0,
});

/** The real method for each command; the three with no method of their own go through guard(). */
const RUN: Record<LifecycleCommand, (i: ServiceItem) => Result<unknown, unknown>> = {
  approve: (i) => i.approve('it-office', 'u-it', at(50)),
  reject: (i) => i.reject('it-office', 'no', 'u-it', at(50)),
  reapply: (i) => i.reapply({ name: 'revised' }, at(50), UNITS),
  define_version: (i) => i.guard('define_version'),
  confirm_version: (i) => i.guard('confirm_version'),
  launch: (i) => i.launched('v9', at(50)),
  request_change: (i) => i.changeRequested(at(50)),
  accept_change: (i) => i.changeDecided('accept', at(50)),
  refuse_change: (i) => i.changeDecided('refuse', at(50)),
  request_offboarding: (i) => i.requestOffboarding('why', at(50)),
};

/** Written out independently of the module's table. */
const REFUSED: Record<ServiceItemState, LifecycleCommand[]> = {
  onboarding_pending: [
    'reapply',
    'define_version',
    'confirm_version',
    'launch',
    'request_change',
    'accept_change',
    'refuse_change',
    'request_offboarding',
  ],
  onboarding_rejected: [
    'approve',
    'reject',
    'define_version',
    'confirm_version',
    'launch',
    'request_change',
    'accept_change',
    'refuse_change',
    'request_offboarding',
  ],
  building: ['approve', 'reject', 'reapply', 'request_change', 'accept_change', 'refuse_change', 'request_offboarding'],
  online: ['approve', 'reject', 'reapply', 'accept_change', 'refuse_change'],
  change_pending: [
    'approve',
    'reject',
    'reapply',
    'define_version',
    'confirm_version',
    'launch',
    'request_change',
    'request_offboarding',
  ],
  offboarding_pending: [
    'reapply',
    'define_version',
    'confirm_version',
    'launch',
    'request_change',
    'accept_change',
    'refuse_change',
    'request_offboarding',
  ],
  offline: [
    'approve',
    'reject',
    'reapply',
    'define_version',
    'confirm_version',
    'launch',
    'request_change',
    'accept_change',
    'refuse_change',
    'request_offboarding',
  ],
};

describe('ServiceItem aggregate', () => {
  describe('apply (入驻申请)', () => {
    it('starts onboarding_pending with the owning unit put first among the involved units', () => {
      const item = applied();
      expect(item.snapshot()).to.deep.equal({
        id: 'si-1',
        code: 'JW-ZDZM',
        name: '在读证明',
        owningUnit: 'academic-affairs',
        involvedUnits: ['academic-affairs', 'student-affairs'],
        description: '开具在读证明',
        offlineProcedure: '到教务处窗口办理',
        state: 'onboarding_pending',
        approvals: [],
        rejection: null,
        offboardingReason: null,
        onlineVersionId: null,
        lockVersion: 0,
        createdBy: 'u-clerk',
        createdAt: T0,
        updatedAt: T0,
      });
    });

    it('keeps the involved list as given when it already holds the owning unit', () => {
      const item = value(
        ServiceItem.apply('si-1', application({ involvedUnits: ['library', 'academic-affairs'] }), 'u', T0, UNITS),
      );
      expect(item.involvedUnits).to.deep.equal(['library', 'academic-affairs']);
    });

    it('reports every problem: bad code, unknown owning unit, unknown and duplicate involved units', () => {
      const error = failure(
        ServiceItem.apply(
          'si-1',
          application({
            code: 'jw zdzm',
            owningUnit: 'ghost-office',
            involvedUnits: ['library', 'nowhere', 'library'],
          }),
          'u',
          T0,
          UNITS,
        ),
      );
      expect(error).to.be.instanceOf(InputError);
      if (!(error instanceof InputError)) return;
      expect(error.code).to.equal('SERVICE_ITEM.INVALID_APPLICATION');
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        '/code',
        '/owningUnit',
        '/involvedUnits/1',
        '/involvedUnits/2',
      ]);
      expect(error.problems[3]?.message).to.match(/listed twice/);
    });

    it('checks the code pattern', () => {
      for (const code of ['JW-ZDZM', 'A-1', 'ABCDEF-ABCDEF123456']) {
        expect(ServiceItem.apply('x', application({ code }), 'u', T0, UNITS).ok, code).to.equal(true);
      }
      for (const code of ['', 'JW', 'JW-', 'jw-zdzm', 'ABCDEFG-X', 'JW-ABCDEF1234567', '1W-X', 'JW-ZD ZM', 'JW_ZDZM']) {
        const error = failure(ServiceItem.apply('x', application({ code }), 'u', T0, UNITS)) as InputError;
        expect(
          error.problems.map((p) => p.path),
          code,
        ).to.deep.equal(['/code']);
      }
    });
  });

  describe('onboarding approvals', () => {
    const orders: ApprovingOffice[][] = [
      ['president-office', 'it-office'],
      ['it-office', 'president-office'],
    ];
    for (const [first, second] of orders) {
      it(`reaches building only after both offices (${first} first)`, () => {
        const item = applied();
        expect(value(item.approve(first!, 'u-a', at(1), 'fine'))).to.deep.equal({ completed: false });
        expect(item.state).to.equal('onboarding_pending');
        expect(item.approvals).to.deep.equal([{ office: first, by: 'u-a', at: at(1).toISOString(), comment: 'fine' }]);
        expect(value(item.approve(second!, 'u-b', at(2)))).to.deep.equal({ completed: true });
        const s = item.snapshot();
        expect(s).to.deep.include({ state: 'building', approvals: [], rejection: null, updatedAt: at(2) });
      });
    }

    it('refuses the same office twice with ALREADY_APPROVED and changes nothing', () => {
      const item = applied();
      value(item.approve('president-office', 'u-a', at(1)));
      const before = item.snapshot();
      const error = failure(item.approve('president-office', 'u-other', at(2)));
      expect(error).to.be.instanceOf(ConflictError);
      expect(error.code).to.equal('SERVICE_ITEM.ALREADY_APPROVED');
      expect(item.snapshot()).to.deep.equal(before);
    });

    it('reject records the rejection, clears approvals and returns the item to the unit', () => {
      const item = applied();
      value(item.approve('president-office', 'u-a', at(1)));
      value(item.reject('it-office', 'offline procedure missing', 'u-it', at(2)));
      expect(item.snapshot()).to.deep.include({
        state: 'onboarding_rejected',
        approvals: [],
        updatedAt: at(2),
        rejection: {
          office: 'it-office',
          by: 'u-it',
          at: at(2).toISOString(),
          reason: 'offline procedure missing',
          phase: 'onboarding',
        },
      });
    });

    it('reapply with a revision starts a new round that needs both approvals again', () => {
      const item = applied();
      value(item.approve('president-office', 'u-a', at(1)));
      value(item.reject('it-office', 'wrong units', 'u-it', at(2)));
      value(item.reapply({ name: '在读证明（新）', involvedUnits: ['library'], description: undefined }, at(3), UNITS));
      expect(item.snapshot()).to.deep.include({
        state: 'onboarding_pending',
        approvals: [],
        name: '在读证明（新）',
        description: '开具在读证明',
        involvedUnits: ['academic-affairs', 'library'],
        code: 'JW-ZDZM',
        updatedAt: at(3),
      });
      expect(value(item.approve('it-office', 'u-it', at(4)))).to.deep.equal({ completed: false });
      expect(item.state).to.equal('onboarding_pending');
      expect(value(item.approve('president-office', 'u-a', at(5)))).to.deep.equal({ completed: true });
      expect(item.snapshot()).to.deep.include({ state: 'building', rejection: null });
    });

    it('an invalid revision is refused with every path and changes nothing', () => {
      const item = reach('onboarding_rejected');
      const before = item.snapshot();
      const error = failure(item.reapply({ involvedUnits: ['ghost', 'library', 'library'] }, at(9), UNITS));
      expect(error).to.be.instanceOf(InputError);
      expect((error as InputError).problems.map((p) => p.path)).to.deep.equal(['/involvedUnits/0', '/involvedUnits/2']);
      expect(item.snapshot()).to.deep.equal(before);
    });
  });

  describe('launch and offboarding', () => {
    it('launched moves building to online and records the version; a later launch replaces it', () => {
      const item = reach('building');
      value(item.launched('v1', at(10)));
      expect(item.snapshot()).to.deep.include({ state: 'online', onlineVersionId: 'v1', updatedAt: at(10) });
      value(item.launched('v2', at(11)));
      expect(item.snapshot()).to.deep.include({ state: 'online', onlineVersionId: 'v2' });
    });

    it('requestOffboarding moves online to offboarding_pending with the reason', () => {
      const item = reach('online');
      value(item.requestOffboarding('merged into JW-XJ', at(10)));
      expect(item.snapshot()).to.deep.include({
        state: 'offboarding_pending',
        offboardingReason: 'merged into JW-XJ',
        approvals: [],
        rejection: null,
        onlineVersionId: 'v1',
      });
    });

    it('both approvals take offboarding_pending to offline, in either order', () => {
      for (const [first, second] of [
        ['it-office', 'president-office'],
        ['president-office', 'it-office'],
      ] as const) {
        const item = reach('offboarding_pending');
        expect(value(item.approve(first, 'u-a', at(10)))).to.deep.equal({ completed: false });
        expect(item.state).to.equal('offboarding_pending');
        expect(failure(item.approve(first, 'u-a', at(11))).code).to.equal('SERVICE_ITEM.ALREADY_APPROVED');
        expect(value(item.approve(second, 'u-b', at(12)))).to.deep.equal({ completed: true });
        expect(item.snapshot()).to.deep.include({
          state: 'offline',
          approvals: [],
          onlineVersionId: 'v1',
          updatedAt: at(12),
        });
      }
    });

    it('rejecting offboarding puts the item back online and drops the offboarding reason', () => {
      const item = reach('offboarding_pending');
      value(item.approve('president-office', 'u-a', at(10)));
      value(item.reject('it-office', 'still needed', 'u-it', at(11)));
      expect(item.snapshot()).to.deep.include({
        state: 'online',
        approvals: [],
        offboardingReason: null,
        onlineVersionId: 'v1',
        rejection: {
          office: 'it-office',
          by: 'u-it',
          at: at(11).toISOString(),
          reason: 'still needed',
          phase: 'offboarding',
        },
      });
    });
  });

  describe('refused commands', () => {
    const builders: Array<[string, (s: ServiceItemState) => ServiceItem]> = [
      ['public methods', reach],
      ['restore', (s) => ServiceItem.restore(props(s))],
    ];
    for (const [how, build] of builders) {
      for (const [state, commands] of Object.entries(REFUSED) as Array<[ServiceItemState, LifecycleCommand[]]>) {
        for (const command of commands) {
          it(`${state} × ${command} (built via ${how}): _NOT_ALLOWED, nothing changes`, () => {
            const item = build(state);
            expect(item.state).to.equal(state);
            expect(item.guard(command).ok).to.equal(false);
            const before = item.snapshot();
            const error = failure(RUN[command](item));
            expect(error).to.be.instanceOf(ConflictError);
            const e = error as ConflictError;
            expect(e.kind).to.equal('conflict');
            expect(e.code).to.equal(`SERVICE_ITEM.${command.toUpperCase()}_NOT_ALLOWED`);
            expect(e.code.endsWith('_NOT_ALLOWED')).to.equal(true);
            expect(e.message).to.include(state);
            expect(item.snapshot()).to.deep.equal(before);
          });
        }
      }
    }

    it('allowed commands pass the guard with their target state', () => {
      const item = reach('online');
      expect(value(item.guard('request_change'))).to.equal('change_pending');
      expect(value(item.guard('request_offboarding'))).to.equal('offboarding_pending');
      expect(value(reach('change_pending').guard('accept_change'))).to.equal('online');
      expect(value(reach('change_pending').guard('refuse_change'))).to.equal('online');
      expect(value(reach('building').guard('launch'))).to.equal('online');
    });

    it("the refusal message lists the allowed commands, or 'none'", () => {
      expect(failure(reach('building').guard('approve')).message).to.include(
        'allowed: define_version, confirm_version, launch',
      );
      expect(failure(reach('offline').guard('launch')).message).to.include('allowed: none');
    });
  });

  it('restore copies the arrays it is given', () => {
    const p = props('offboarding_pending');
    const item = ServiceItem.restore(p);
    value(item.approve('it-office', 'u-it', at(1)));
    expect(p.approvals).to.deep.equal([]);
    expect(item.approvals).to.have.length(1);
    expect(item.snapshot()).to.deep.include({ lockVersion: 3, onlineVersionId: 'v7' });
  });
});
