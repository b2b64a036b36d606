import { expect } from 'chai';
import pino from 'pino';
import type { PumpOutcome, RelayOutboxUseCase } from '../../../src/application/outbox/relay-outbox.use-case.js';
import type { RelayLease } from '../../../src/application/ports/outbox-relay.port.js';
import { OutboxRelayRunner } from '../../../src/adapters/driving/jobs/outbox-relay-runner.js';
import { eventually } from '../../fixtures/eventually.js';

/** A relay use case that answers as the test scripts it, and notes what the runner asked for when. */
function scripted(o: { leaseFreeAfter: number; outcomes: PumpOutcome[] }) {
  const log: Array<{ what: string; at: number }> = [];
  const t0 = performance.now();
  let leaseAsks = 0;
  let released = 0;
  const lease = { sink: 'data-platform', release: async () => void released++ } as unknown as RelayLease;
  const relay = {
    sinks: () => ['data-platform'],
    lease: async () => (++leaseAsks > o.leaseFreeAfter ? lease : null),
    pump: async () => {
      const outcome = o.outcomes.shift() ?? { kind: 'idle' };
      log.push({ what: outcome.kind, at: performance.now() - t0 });
      return outcome;
    },
    cleanUp: async () => 0,
  } as unknown as RelayOutboxUseCase;
  return { relay, log, leaseAsks: () => leaseAsks, released: () => released };
}

describe('OutboxRelayRunner', () => {
  it('waits for the lease, backs off longer after each failure, and resets after a success', async () => {
    const failed: PumpOutcome = { kind: 'failed', reason: 'down' };
    const s = scripted({
      leaseFreeAfter: 2,
      outcomes: [failed, failed, failed, { kind: 'progress', delivered: 1, parked: 0 }, failed],
    });
    const runner = new OutboxRelayRunner(s.relay, pino({ level: 'silent' }), {
      pollMs: 5,
      leaseRetryMs: 10,
      backoffMinMs: 40,
      backoffMaxMs: 1000,
      cleanUpEveryMs: 3_600_000,
    });
    runner.start();
    await eventually(() => s.log.length >= 6, 'the script played');
    await runner.stop();
    expect(s.leaseAsks()).to.equal(3);
    expect(s.released(), 'the lease freed on stop').to.equal(1);
    const gaps = s.log.slice(1, 5).map((e, i) => e.at - s.log[i]!.at);
    // jittered between half and all of 40, 80, 160 ms (timers may run late on a busy machine, never
    // early); after the success, no back-off
    expect(gaps[0]).to.be.within(19, 40 + 200);
    expect(gaps[1]).to.be.within(39, 80 + 200);
    expect(gaps[2]).to.be.within(79, 160 + 200);
    expect(gaps[3]).to.be.below(gaps[0]!);
    expect(s.log.map((e) => e.what).slice(0, 5)).to.deep.equal(['failed', 'failed', 'failed', 'progress', 'failed']);
  });

  it('stops at once while backing off, and frees the lease', async () => {
    const s = scripted({ leaseFreeAfter: 0, outcomes: [{ kind: 'failed', reason: 'down' }] });
    const runner = new OutboxRelayRunner(s.relay, pino({ level: 'silent' }), {
      pollMs: 5,
      leaseRetryMs: 10,
      backoffMinMs: 60_000,
      backoffMaxMs: 60_000,
      cleanUpEveryMs: 3_600_000,
    });
    runner.start();
    await eventually(() => s.log.length === 1, 'the first step');
    const t = performance.now();
    await runner.stop();
    expect(performance.now() - t).to.be.below(1000);
    expect(s.released()).to.equal(1);
  });
});
