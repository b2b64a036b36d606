/**
 * The report of an emergency drill (应急演练, Art. 4(2)5 and 4(3)4): the steady state checked before
 * and after the fault, what happened when, and the figures — time to detect, how the hall answered
 * while degraded, time to recover (RTO), and work lost (RPO: committed actions lost, reminders lost
 * or sent twice). The verdict follows from them; the goal for lost and duplicated work is 0 and 0.
 */
export interface ProbeOutcome {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface DrillFigures {
  /** From the fault until the hall showed it noticed; null when it never did. */
  detectSeconds: number | null;
  /** From the end of the fault until the steady state held again (RTO); null when it never did. */
  recoverySeconds: number | null;
  faultSeconds: number;
  /** Actions the hall acknowledged (2xx) whose effect is not in the database afterwards (RPO). */
  committedActionsLost: number;
  /** The same submission (one Idempotency-Key) stored twice. */
  duplicateSubmissions: number;
  /** Reminder timers that never notified anyone / notified the same person twice. */
  remindersLost: number | null;
  remindersSentTwice: number | null;
  acknowledged: { applications: number; approvals: number };
  cases: { completed: number; unfinished: number };
  /** Answers while the fault held and until recovery, by status ('timeout', 'network' for no answer). */
  answersDuringFault: Record<string, number>;
  /** Of the 503s, how many said when to retry (Retry-After). */
  retryAfterGiven: number;
  /** The slowest answered call, and calls that got no answer within the client's timeout (hangs). */
  slowestMs: number;
  hungRequests: number;
  /** Answers 5xx other than 503: a fault the hall did not turn into "unavailable, retry after". */
  serverErrors: number;
  /** Anything a scenario measures besides. */
  extra: Record<string, number | string | boolean | null>;
}

export interface DrillReport {
  id: string;
  scenario: string;
  title: string;
  mode: 'sandbox' | 'target';
  runBy: string;
  startedAt: string;
  finishedAt: string;
  hypothesis: { title: string; before: ProbeOutcome[]; after: ProbeOutcome[] };
  timeline: Array<{ at: string; event: string }>;
  figures: DrillFigures | null;
  verdict: 'passed' | 'failed' | 'aborted';
  reasons: string[];
}

const ZERO_GOALS: Array<[keyof DrillFigures, string]> = [
  ['committedActionsLost', 'committed actions were lost'],
  ['duplicateSubmissions', 'submissions were stored twice'],
  ['remindersLost', 'reminders were lost'],
  ['remindersSentTwice', 'reminders were sent twice'],
  ['hungRequests', 'requests hung without an answer'],
  ['serverErrors', 'requests were answered with a server error other than 503'],
];

/** The verdict: aborted when the steady state did not hold before the fault; failed on any goal missed. */
export function drillVerdict(
  hypothesis: DrillReport['hypothesis'],
  figures: DrillFigures | null,
  errors: readonly string[] = [],
): Pick<DrillReport, 'verdict' | 'reasons'> {
  const failedBefore = hypothesis.before.filter((p) => !p.ok);
  if (failedBefore.length)
    return {
      verdict: 'aborted',
      reasons: failedBefore.map(
        (p) => `steady state before the fault: ${p.name} did not hold${p.detail ? ` (${p.detail})` : ''}`,
      ),
    };
  const reasons = [...errors];
  for (const p of hypothesis.after.filter((p) => !p.ok))
    reasons.push(`steady state after the fault: ${p.name} did not hold${p.detail ? ` (${p.detail})` : ''}`);
  if (figures) {
    if (figures.recoverySeconds === null) reasons.push('the hall did not recover');
    for (const [key, what] of ZERO_GOALS) {
      const n = figures[key];
      if (typeof n === 'number' && n > 0) reasons.push(`${n} ${what}`);
    }
    for (const [key, value] of Object.entries(figures.extra))
      if (/(Lost|TakenTwice|SentTwice|Unanswered|Failed)$/.test(key) && typeof value === 'number' && value > 0)
        reasons.push(`${key}: ${value}`);
  } else if (!reasons.length) reasons.push('no figures');
  return reasons.length ? { verdict: 'failed', reasons } : { verdict: 'passed', reasons: [] };
}

const cell = (v: unknown) =>
  v === null || v === undefined
    ? '—'
    : String(v)
        .replace(/\|/g, '\\|')
        .replace(/\s*\n\s*/g, ' ')
        .trim();

/** The report as Markdown, for the drill record filed with the emergency plan. */
export function drillReportMarkdown(r: DrillReport): string {
  const lines = [
    `# 应急演练报告 Drill report: ${r.title}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Report | ${r.id} |`,
    `| Scenario | ${r.scenario} |`,
    `| Mode | ${r.mode} |`,
    `| Run by | ${r.runBy} |`,
    `| Started | ${r.startedAt} |`,
    `| Finished | ${r.finishedAt} |`,
    `| **Verdict** | **${r.verdict.toUpperCase()}** |`,
    '',
  ];
  if (r.reasons.length) lines.push('## Why', '', ...r.reasons.map((x) => `- ${x}`), '');
  lines.push(`## Steady-state hypothesis: ${r.hypothesis.title}`, '', '| Probe | Before | After |', '|---|---|---|');
  const names = [...new Set([...r.hypothesis.before, ...r.hypothesis.after].map((p) => p.name))];
  const mark = (p?: ProbeOutcome) =>
    p ? (p.ok ? 'held' : `did not hold${p.detail ? `: ${cell(p.detail)}` : ''}`) : '—';
  for (const n of names)
    lines.push(
      `| ${n} | ${mark(r.hypothesis.before.find((p) => p.name === n))} | ${mark(r.hypothesis.after.find((p) => p.name === n))} |`,
    );
  lines.push('');
  const f = r.figures;
  if (f) {
    lines.push(
      '## Figures',
      '',
      '| Figure | Value |',
      '|---|---|',
      `| Fault held (s) | ${f.faultSeconds} |`,
      `| Time to detect (s) | ${cell(f.detectSeconds)} |`,
      `| Time to recover, RTO (s) | ${cell(f.recoverySeconds)} |`,
      `| Committed actions lost (RPO) | ${f.committedActionsLost} |`,
      `| Submissions stored twice | ${f.duplicateSubmissions} |`,
      `| Reminders lost | ${cell(f.remindersLost)} |`,
      `| Reminders sent twice | ${cell(f.remindersSentTwice)} |`,
      `| Acknowledged applications / approvals | ${f.acknowledged.applications} / ${f.acknowledged.approvals} |`,
      `| Cases completed / unfinished | ${f.cases.completed} / ${f.cases.unfinished} |`,
      `| Answers during the fault | ${
        Object.entries(f.answersDuringFault)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ') || '—'
      } |`,
      `| 503s with Retry-After | ${f.retryAfterGiven} |`,
      `| Slowest answer (ms) | ${f.slowestMs} |`,
      `| Requests that hung | ${f.hungRequests} |`,
      `| Server errors other than 503 | ${f.serverErrors} |`,
      ...Object.entries(f.extra).map(([k, v]) => `| ${k} | ${cell(v)} |`),
      '',
    );
  }
  lines.push(
    '## Timeline',
    '',
    '| At | Event |',
    '|---|---|',
    ...r.timeline.map((t) => `| ${t.at} | ${cell(t.event)} |`),
    '',
  );
  return lines.join('\n');
}
