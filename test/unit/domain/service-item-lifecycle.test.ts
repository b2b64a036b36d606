import { expect } from 'chai';
import {
  APPROVED_TARGET,
  LIFECYCLE_COMMANDS,
  SERVICE_ITEM_STATES,
  allowedCommands,
  isInCatalogue,
  nextState,
  type LifecycleCommand,
  type ServiceItemState,
} from '../../../src/domain/service-item/service-item-lifecycle.js';

/**
 * The expected state machine, written out by hand (Art. 8–12). A cell holds the state the command
 * leads to, or `null` when the command is refused. Deliberately not derived from the module.
 */
type Row = Record<LifecycleCommand, ServiceItemState | null>;
const EXPECTED: Record<ServiceItemState, Row> = {
  onboarding_pending: {
    approve: 'onboarding_pending',
    reject: 'onboarding_rejected',
    reapply: null,
    define_version: null,
    confirm_version: null,
    launch: null,
    request_change: null,
    accept_change: null,
    refuse_change: null,
    request_offboarding: null,
  },
  onboarding_rejected: {
    approve: null,
    reject: null,
    reapply: 'onboarding_pending',
    define_version: null,
    confirm_version: null,
    launch: null,
    request_change: null,
    accept_change: null,
    refuse_change: null,
    request_offboarding: null,
  },
  building: {
    approve: null,
    reject: null,
    reapply: null,
    define_version: 'building',
    confirm_version: 'building',
    launch: 'online',
    request_change: null,
    accept_change: null,
    refuse_change: null,
    request_offboarding: null,
  },
  online: {
    approve: null,
    reject: null,
    reapply: null,
    define_version: 'online',
    confirm_version: 'online',
    launch: 'online',
    request_change: 'change_pending',
    accept_change: null,
    refuse_change: null,
    request_offboarding: 'offboarding_pending',
  },
  offboarding_pending: {
    approve: 'offboarding_pending',
    reject: 'online',
    reapply: null,
    define_version: null,
    confirm_version: null,
    launch: null,
    request_change: null,
    accept_change: null,
    refuse_change: null,
    request_offboarding: null,
  },
  offline: {
    approve: null,
    reject: null,
    reapply: null,
    define_version: null,
    confirm_version: null,
    launch: null,
    request_change: null,
    accept_change: null,
    refuse_change: null,
    request_offboarding: null,
  },
  change_pending: {
    approve: null,
    reject: null,
    reapply: null,
    define_version: null,
    confirm_version: null,
    launch: null,
    request_change: null,
    accept_change: 'online',
    refuse_change: 'online',
    request_offboarding: null,
  },
};

const STATES_WRITTEN_OUT = [
  'onboarding_pending',
  'onboarding_rejected',
  'building',
  'online',
  'change_pending',
  'offboarding_pending',
  'offline',
];
const COMMANDS_WRITTEN_OUT = [
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
];

describe('service-item lifecycle state machine', () => {
  it('has exactly the seven states and ten commands, in order', () => {
    expect([...SERVICE_ITEM_STATES]).to.deep.equal(STATES_WRITTEN_OUT);
    expect([...LIFECYCLE_COMMANDS]).to.deep.equal(COMMANDS_WRITTEN_OUT);
    expect(Object.keys(EXPECTED)).to.have.members(STATES_WRITTEN_OUT);
  });

  describe('every (state, command) pair', () => {
    for (const state of SERVICE_ITEM_STATES) {
      for (const command of LIFECYCLE_COMMANDS) {
        const expected = EXPECTED[state][command];
        const title =
          expected === null ? `${state} × ${command}: refused` : `${state} × ${command}: allowed, leads to ${expected}`;
        it(title, () => {
          if (expected === null) expect(nextState(state, command)).to.equal(undefined);
          else expect(nextState(state, command)).to.equal(expected);
        });
      }
    }

    it('the table covers all 70 pairs, 15 allowed and 55 refused', () => {
      let allowed = 0;
      let refused = 0;
      for (const state of SERVICE_ITEM_STATES) {
        for (const command of LIFECYCLE_COMMANDS) {
          if (nextState(state, command) === undefined) refused++;
          else allowed++;
        }
      }
      expect({ allowed, refused }).to.deep.equal({ allowed: 15, refused: 55 });
    });
  });

  describe('allowedCommands', () => {
    const ALLOWED: Record<ServiceItemState, LifecycleCommand[]> = {
      onboarding_pending: ['approve', 'reject'],
      onboarding_rejected: ['reapply'],
      building: ['define_version', 'confirm_version', 'launch'],
      online: ['define_version', 'confirm_version', 'launch', 'request_change', 'request_offboarding'],
      change_pending: ['accept_change', 'refuse_change'],
      offboarding_pending: ['approve', 'reject'],
      offline: [],
    };

    for (const state of SERVICE_ITEM_STATES) {
      it(`${state}: ${ALLOWED[state].join(', ') || 'nothing'}`, () => {
        expect(allowedCommands(state)).to.deep.equal(ALLOWED[state]);
      });
    }

    it('agrees with nextState for every state', () => {
      for (const state of SERVICE_ITEM_STATES) {
        expect(allowedCommands(state), state).to.deep.equal(
          LIFECYCLE_COMMANDS.filter((c) => EXPECTED[state][c] !== null),
        );
      }
    });

    it("'offline' is terminal: it allows nothing", () => {
      expect(allowedCommands('offline')).to.deep.equal([]);
      for (const command of LIFECYCLE_COMMANDS) expect(nextState('offline', command), command).to.equal(undefined);
    });

    it('returns a fresh array each time', () => {
      const first = allowedCommands('online');
      first.length = 0;
      expect(allowedCommands('online')).to.have.length(5);
    });
  });

  describe('APPROVED_TARGET', () => {
    it('completed onboarding leads to building, completed offboarding to offline, nothing else', () => {
      expect(APPROVED_TARGET).to.deep.equal({ onboarding_pending: 'building', offboarding_pending: 'offline' });
    });

    it('is defined exactly for the states in which approve is allowed', () => {
      const approvable = SERVICE_ITEM_STATES.filter((s) => EXPECTED[s].approve !== null);
      expect(Object.keys(APPROVED_TARGET)).to.have.members(approvable);
    });
  });

  describe('isInCatalogue', () => {
    const IN_CATALOGUE: Record<ServiceItemState, boolean> = {
      onboarding_pending: false,
      onboarding_rejected: false,
      building: false,
      online: true,
      change_pending: true,
      offboarding_pending: true,
      offline: false,
    };

    for (const state of SERVICE_ITEM_STATES) {
      it(`${state}: ${IN_CATALOGUE[state] ? 'listed' : 'not listed'}`, () => {
        expect(isInCatalogue(state)).to.equal(IN_CATALOGUE[state]);
      });
    }

    it('lists exactly online, change_pending and offboarding_pending', () => {
      expect(SERVICE_ITEM_STATES.filter(isInCatalogue)).to.deep.equal([
        'online',
        'change_pending',
        'offboarding_pending',
      ]);
    });
  });
});
