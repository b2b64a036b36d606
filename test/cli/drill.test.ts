import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { fileURLToPath } from 'node:url';
import type { DrillReport } from '../../src/domain/drill/drill-report.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { setEnv } from '../fixtures/process-env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `hall drill`: every scenario of the emergency plan runs for real in a sandbox (its own
 * PostgreSQL, the API and a job worker as processes, real peers), and its stored report shows no
 * committed action lost and nothing sent twice. Each test checks the report's figures against what
 * the scenario's experiment made the drill do.
 */
describe('hall drill (sandbox drills, real faults)', function () {
  this.timeout(600_000);
  let t: TestApp;
  let restoreEnv = () => {};
  const reports: DrillReport[] = [];
  before(async () => {
    t = await createTestApp();
    restoreEnv = setEnv({
      DATABASE_URL: t.db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    });
  });
  after(async () => {
    restoreEnv();
    await t.close();
  });

  const hall = (...args: string[]) => runCommand(args, { root });

  async function drill(scenario: string): Promise<DrillReport> {
    const { stdout, error } = await hall('drill', 'run', scenario, '--sandbox', '--operator', 'T0002', '--json');
    expect(error, String(error?.message)).to.equal(undefined);
    const report = JSON.parse(stdout) as DrillReport;
    reports.push(report);
    expect(report.verdict, `${report.reasons.join('\n')}\n${JSON.stringify(report.timeline, null, 1)}`).to.equal(
      'passed',
    );
    const f = report.figures!;
    // RPO: what the hall acknowledged is all there; nothing submitted twice, nothing hung, no 500s
    expect(f.committedActionsLost).to.equal(0);
    expect(f.duplicateSubmissions).to.equal(0);
    expect(f.hungRequests).to.equal(0);
    expect(f.serverErrors).to.equal(0);
    // the load ran through the drill: every completed case is two approvals the hall acknowledged
    expect(f.cases.completed).to.be.greaterThan(0);
    expect(f.acknowledged.approvals).to.be.at.least(2 * f.cases.completed);
    expect(f.acknowledged.applications).to.be.at.least(f.cases.completed);
    expect(f.recoverySeconds).to.be.a('number');
    expect(report.hypothesis.before.every((p) => p.ok) && report.hypothesis.after.every((p) => p.ok)).to.equal(true);
    // stored, with its audit entry
    expect(await t.db.knex('drill_reports').where({ id: report.id }).first()).to.include({
      verdict: 'passed',
      run_by: 'T0002',
    });
    expect(await t.db.knex('audit_log').where({ action: 'drill.recorded', entity_id: report.id })).to.have.length(1);
    return report;
  }

  it('only the IT Office runs a drill: refused before any fault, nothing stored', async () => {
    const { error } = await hall('drill', 'run', 'database-restart', '--sandbox', '--operator', 'T0102');
    expect(error?.message).to.match(/may not run drill/);
    expect(await t.db.knex('drill_reports')).to.have.length(0);
  });

  it('database-restart: 503s with Retry-After while PostgreSQL is down, detected by /readyz, recovered, nothing lost', async () => {
    const f = (await drill('database-restart')).figures!;
    expect(f.faultSeconds).to.be.within(6, 9); // the experiment holds the server down 6 s
    expect(f.detectSeconds).to.be.a('number').and.at.most(f.faultSeconds);
    expect(f.answersDuringFault['503']).to.be.greaterThan(0);
    expect(f.retryAfterGiven).to.be.greaterThan(0);
    expect(f.extra.eventsLost).to.equal(0);
    // at least once: a batch taken just before the stop may go again, under the same ids
    expect(f.extra.eventsRedelivered).to.be.a('number').and.at.most(Number(f.extra.eventsWritten));
  });

  it('database-unreachable: connections refused for 8 s, the same', async () => {
    const f = (await drill('database-unreachable')).figures!;
    expect(f.faultSeconds).to.be.within(8, 11);
    expect(f.answersDuringFault['503']).to.be.greaterThan(0);
    expect(f.retryAfterGiven).to.be.greaterThan(0);
    expect(f.extra).to.include({ eventsLost: 0 });
  });

  it('worker-killed: reminders the killed worker held are sent once by the next one; none lost, none twice', async () => {
    const f = (await drill('worker-killed')).figures!;
    // 40 open tasks, each with its before-due, due and escalation timers made due
    expect(f.extra.remindersArmed).to.equal(120);
    expect(f.extra.remindersDue).to.equal(120);
    expect(f.remindersLost).to.equal(0);
    expect(f.remindersSentTwice).to.equal(0);
    expect(f.extra.jobsHeldAtKill).to.be.a('number');
  });

  it('connector-down: the hall keeps working, shows the offline procedure, and delivers every case once afterwards', async () => {
    const f = (await drill('connector-down')).figures!;
    expect(f.detectSeconds, '/readyz names the connector down').to.be.a('number');
    expect(f.extra).to.include({
      casesSent: 5,
      deliveriesLost: 0,
      deliveriesTakenTwice: 0,
      offlineProcedureShown: true,
    });
  });

  it('sink-down: events wait in the outbox and all reach the data platform once afterwards', async () => {
    const f = (await drill('sink-down')).figures!;
    expect(f.detectSeconds).to.be.a('number');
    expect(f.extra.eventsWritten).to.be.greaterThan(0);
    // the database stayed up, so every batch the sink took had its cursor committed: none again
    expect(f.extra).to.include({ eventsLost: 0, eventsRedelivered: 0 });
  });

  it('directory-down: CAS sign-ins refused with an answer; password sign-ins and sessions keep working', async () => {
    const f = (await drill('directory-down')).figures!;
    expect(f.extra.casSignInsRefused).to.equal(3);
    expect(f.extra.passwordSignInsOk).to.equal(3);
    expect(f.extra.sessionsOk).to.equal(3);
  });

  it('list and show: the reports, newest first, and one as Markdown for the filing', async () => {
    const { stdout } = await hall('drill', 'list', '--operator', 'T0003', '--json');
    const listed = (JSON.parse(stdout) as { reports: Array<{ id: string }> }).reports.map((r) => r.id);
    expect(listed).to.deep.equal(reports.map((r) => r.id).reverse());
    const shown = await hall('drill', 'show', reports[0]!.id, '--operator', 'T0001');
    expect(shown.stdout).to.contain('| **Verdict** | **PASSED** |').and.contain('Time to recover, RTO (s)');
    const refused = await hall('drill', 'list', '--operator', 'T0102');
    expect(refused.error?.message).to.match(/may not read drill/);
  });
});
