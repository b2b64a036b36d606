import { expect } from 'chai';
import {
  drillReportMarkdown,
  drillVerdict,
  type DrillFigures,
  type DrillReport,
} from '../../../src/domain/drill/drill-report.js';

const figures = (over: Partial<DrillFigures> = {}): DrillFigures => ({
  detectSeconds: 0.2,
  recoverySeconds: 1.5,
  faultSeconds: 6,
  committedActionsLost: 0,
  duplicateSubmissions: 0,
  remindersLost: null,
  remindersSentTwice: null,
  acknowledged: { applications: 10, approvals: 20 },
  cases: { completed: 10, unfinished: 0 },
  answersDuringFault: { '503': 4, '200': 2 },
  retryAfterGiven: 4,
  slowestMs: 120,
  hungRequests: 0,
  serverErrors: 0,
  extra: {},
  ...over,
});
const held = { title: 'steady', before: [{ name: 'ready', ok: true }], after: [{ name: 'ready', ok: true }] };

describe('drill report (domain)', () => {
  it('passes only with the steady state held after, recovery, and nothing lost, doubled, hung or failed', () => {
    expect(drillVerdict(held, figures())).to.deep.equal({ verdict: 'passed', reasons: [] });
    expect(drillVerdict(held, figures({ committedActionsLost: 2 })).reasons).to.deep.equal([
      '2 committed actions were lost',
    ]);
    expect(drillVerdict(held, figures({ remindersSentTwice: 1 })).verdict).to.equal('failed');
    expect(drillVerdict(held, figures({ recoverySeconds: null })).reasons).to.include('the hall did not recover');
    expect(drillVerdict(held, figures({ serverErrors: 1 })).verdict).to.equal('failed');
    expect(drillVerdict(held, figures({ extra: { eventsLost: 3, casSignInsRefused: 3 } })).reasons).to.deep.equal([
      'eventsLost: 3',
    ]);
    expect(drillVerdict({ ...held, after: [{ name: 'ready', ok: false }] }, figures()).verdict).to.equal('failed');
  });

  it('is aborted, with no fault injected, when the steady state does not hold before', () => {
    const r = drillVerdict({ ...held, before: [{ name: 'round-trip', ok: false, detail: '503' }] }, null);
    expect(r).to.deep.equal({
      verdict: 'aborted',
      reasons: ['steady state before the fault: round-trip did not hold (503)'],
    });
  });

  it('renders the filing as Markdown: verdict, hypothesis before and after, figures, timeline; a table cell cannot break the table', () => {
    const report: DrillReport = {
      id: '00000000-0000-4000-8000-000000000001',
      scenario: 'database-restart',
      title: 'PostgreSQL restarts',
      mode: 'sandbox',
      runBy: 'T0002',
      startedAt: '2026-11-30T01:00:00.000Z',
      finishedAt: '2026-11-30T01:01:00.000Z',
      hypothesis: held,
      timeline: [{ at: '2026-11-30T01:00:10.000Z', event: 'a | b\nc' }],
      figures: figures(),
      verdict: 'passed',
      reasons: [],
    };
    const md = drillReportMarkdown(report);
    expect(md).to.contain('| **Verdict** | **PASSED** |');
    expect(md).to.contain('| ready | held | held |');
    expect(md).to.contain('| Time to recover, RTO (s) | 1.5 |');
    expect(md).to.contain('| Answers during the fault | 200: 2, 503: 4 |');
    expect(md).to.contain('| 2026-11-30T01:00:10.000Z | a \\| b c |');
  });
});
