import { expect } from 'chai';
import {
  FIGURE_COLUMNS,
  FLAT_HEADERS,
  checkYear,
  evaluationWindow,
  figuresOf,
  flatCells,
  rate,
  ratio,
  workingDayIndex,
  zeroCounts,
} from '../../../src/domain/evaluation/annual-evaluation.js';
import { WorkingCalendar } from '../../../src/domain/calendar/working-calendar.js';

describe('annual evaluation (domain)', () => {
  describe('the year window and as-of', () => {
    it('runs from Jan 1 00:00 China time (Dec 31 16:00Z) to the next Jan 1; a year that is over is final', () => {
      const w = evaluationWindow(2026, new Date('2027-03-01T00:00:00Z'));
      expect(w.from.toISOString()).to.equal('2025-12-31T16:00:00.000Z');
      expect(w.end.toISOString()).to.equal('2026-12-31T16:00:00.000Z');
      expect(w.asOf.toISOString()).to.equal('2026-12-31T16:00:00.000Z');
      expect(w.provisional).to.equal(false);
    });

    it('cuts off at now while the year is not over (provisional)', () => {
      const now = new Date('2026-11-30T05:00:00Z');
      const w = evaluationWindow(2026, now);
      expect(w.asOf.toISOString()).to.equal(now.toISOString());
      expect(w.provisional).to.equal(true);
    });

    it('is over at 00:00 +08:00 on Jan 1, though it is still Dec 31 in UTC', () => {
      // 2026-12-31T16:00Z is 2027-01-01 00:00 in Beijing: the year has just ended
      expect(evaluationWindow(2026, new Date('2026-12-31T16:00:00Z')).provisional).to.equal(false);
      expect(evaluationWindow(2026, new Date('2026-12-31T15:59:59.999Z')).provisional).to.equal(true);
    });

    it('never cuts off before the year begins (next year: an empty, provisional window)', () => {
      const w = evaluationWindow(2027, new Date('2026-11-30T05:00:00Z'));
      expect(w.asOf.toISOString()).to.equal(w.from.toISOString());
      expect(w.provisional).to.equal(true);
    });

    it('takes years from 2000 to next year (China time), and names /year otherwise', () => {
      const now = new Date('2026-12-31T17:00:00Z'); // already 2027 in China: 2028 is next year
      expect(checkYear(2000, now).ok).to.equal(true);
      expect(checkYear(2028, now).ok).to.equal(true);
      for (const bad of [1999, 2029, 2026.5]) {
        const r = checkYear(bad, now);
        expect(r.ok).to.equal(false);
        if (!r.ok) expect(r.error.problems.map((p) => p.path)).to.deep.equal(['/year']);
      }
    });
  });

  describe('rates and rounding', () => {
    it('is null when the denominator is 0', () => {
      expect(rate(0, 0)).to.equal(null);
      expect(ratio(5, 0, 2)).to.equal(null);
    });

    it('rounds to 4 decimals, halves up: 5/6 = 0.8333, 2/3 = 0.6667, 1/8 = 0.125, 1/16000 = 0.0001', () => {
      expect(rate(5, 6)).to.equal(0.8333);
      expect(rate(2, 3)).to.equal(0.6667);
      expect(rate(1, 8)).to.equal(0.125);
      // 0.0000625 -> 0.0001 (the scaled quotient is 0.625, rounded up)
      expect(rate(1, 16000)).to.equal(0.0001);
      // exactly half at the 5th decimal: 1/20000 = 0.00005 -> 0.0001
      expect(rate(1, 20000)).to.equal(0.0001);
      expect(rate(3, 3)).to.equal(1);
    });

    it('averages to 2 decimals: 7 working days over 3 = 2.33, 5 over 8 = 0.63 (0.625 half up)', () => {
      expect(ratio(7, 3, 2)).to.equal(2.33);
      expect(ratio(5, 8, 2)).to.equal(0.63);
    });

    it('derives every figure from the raw counts (hand-worked)', () => {
      const f = figuresOf({
        ...zeroCounts(),
        received: 12,
        completed: 9,
        onTime: 7,
        handlingDaysTotal: 31,
        handlingDaysP90: 8,
        ratings: [1, 1, 2, 3, 2],
        followUps: 3,
        followUpsOnTime: 1,
      });
      expect(f.completionRate).to.equal(0.75); // 9/12
      expect(f.onTimeRate).to.equal(0.7778); // 7/9 = 0.77777…
      expect(f.handlingDaysAverage).to.equal(3.44); // 31/9 = 3.444…
      expect(f.rated).to.equal(9);
      expect(f.satisfactionRate).to.equal(0.5556); // (3+2)/9 = 0.5555…
      expect(f.followUpOnTimeRate).to.equal(0.3333); // 1/3
    });

    it('leaves every rate and the average empty for a row where nothing happened', () => {
      const f = figuresOf(zeroCounts());
      expect([
        f.completionRate,
        f.onTimeRate,
        f.handlingDaysAverage,
        f.satisfactionRate,
        f.followUpOnTimeRate,
      ]).to.deep.equal([null, null, null, null, null]);
    });
  });

  describe('working-day index', () => {
    it('counts working days after the first date up to the second as a difference of indexes (National Day week)', () => {
      const cal = new WorkingCalendar([
        {
          holidays: [{ from: '2026-10-01', to: '2026-10-07' }],
          adjusted_working_days: ['2026-10-10'],
        },
      ]);
      // 09-30 Wed (working), 10-01..07 holiday, 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up), 10-11 Sun
      const { dates, index } = workingDayIndex(cal, '2026-09-30', '2026-10-12');
      const at = (d: string) => index[dates.indexOf(d)]!;
      expect(dates).to.have.length(13);
      expect(at('2026-10-07') - at('2026-09-30')).to.equal(0);
      expect(at('2026-10-08') - at('2026-09-30')).to.equal(1);
      expect(at('2026-10-10') - at('2026-09-30')).to.equal(3);
      expect(at('2026-10-12') - at('2026-09-30')).to.equal(4); // 08, 09, 10 (Sat), 12 (Mon)
    });
  });

  describe('columns', () => {
    it('has the Chinese headers in order, one flat row per level', () => {
      expect(FLAT_HEADERS.slice(0, 8)).to.deep.equal([
        '层级',
        '单位代码',
        '单位名称',
        '事项编码',
        '事项名称',
        '受理量',
        '办结量',
        '办结率',
      ]);
      expect(FLAT_HEADERS).to.have.length(5 + FIGURE_COLUMNS.length);
      const cells = flatCells({ level: 'university', unit: null, item: null, figures: figuresOf(zeroCounts()) });
      expect(cells.slice(0, 8)).to.deep.equal(['全校', null, null, null, null, 0, 0, null]);
    });
  });
});
