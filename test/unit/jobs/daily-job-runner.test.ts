import { expect } from 'chai';
import pino from 'pino';
import { DailyJobRunner, dailyAsk } from '../../../src/adapters/driving/jobs/daily-job-runner.js';
import { eventually } from '../../fixtures/eventually.js';

describe('the daily job: when it is asked for', () => {
  it('from 08:00 to 20:00 in China (one pg-boss slot, 00:00 to 12:00 UTC), keyed by the day in China', () => {
    expect(dailyAsk(new Date('2026-11-30T00:00:00Z'))).to.deep.equal({ day: '2026-11-30', singletonKey: '2026-11-30' });
    expect(dailyAsk(new Date('2026-11-30T11:59:59Z'))).to.deep.equal({ day: '2026-11-30', singletonKey: '2026-11-30' });
    expect(dailyAsk(new Date('2026-11-30T12:00:00Z'))).to.equal(null);
    // 01:00 in China on 1 December: still the night, no ask
    expect(dailyAsk(new Date('2026-11-30T17:00:00Z'))).to.equal(null);
  });
  it('at any time when told (tests), by the day in China', () => {
    expect(dailyAsk(new Date('2026-11-30T17:00:00Z'), true)).to.deep.equal({
      day: '2026-12-01',
      singletonKey: '2026-12-01',
    });
  });
  it('asks at start and every interval, and goes on after a failed ask', async () => {
    let asks = 0;
    const runner = new DailyJobRunner(
      async () => {
        asks++;
        if (asks === 1) throw new Error('database away');
      },
      pino({ level: 'silent' }),
      10,
    );
    runner.start();
    try {
      await eventually(() => asks >= 3, 'three asks, the first failed');
    } finally {
      await runner.stop();
    }
  });
  it('stops at once, not after the interval', async () => {
    let asks = 0;
    const runner = new DailyJobRunner(async () => void asks++, pino({ level: 'silent' }), 3_600_000);
    runner.start();
    try {
      await eventually(() => asks === 1, 'the first ask');
    } finally {
      const started = performance.now();
      await runner.stop();
      expect(performance.now() - started).to.be.lessThan(1000);
    }
    expect(asks).to.equal(1);
  });
});
