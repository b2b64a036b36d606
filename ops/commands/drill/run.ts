import { Args, Flags } from '@oclif/core';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { drillReportMarkdown, type DrillReport } from '../../../src/domain/drill/drill-report.js';
import { BaseCommand } from '../../base-command.js';
import { experimentsDir, loadExperiment } from '../../drill/experiment.js';
import { runDrill, unavailableIn } from '../../drill/runner.js';

export default class DrillRun extends BaseCommand<typeof DrillRun> {
  static override summary =
    'Run an emergency drill (应急演练): inject a real fault, measure detection, degradation, RTO and RPO, store the report.';
  static override description =
    'The scenario is an experiment file in ops/drills (or --experiment FILE): a steady-state hypothesis checked before and ' +
    'after, the faults, the rollbacks, what to measure. --sandbox starts a disposable hall (its own embedded PostgreSQL, ' +
    'the API and a job worker as processes, a business system, the data platform and CAS as real servers) and removes it ' +
    'afterwards; --target runs against a deployment (its URL, and DATABASE_URL with the owner’s rights) with the faults ' +
    'that need no access to its hosts, and refuses a scenario that needs more, saying why. The report is stored with an ' +
    'audit entry (`hall drill list`, `hall drill show`); only the IT Office may run drills. Exit code 1 when the drill failed.';

  static override args = {
    scenario: Args.string({ description: 'the scenario: a file name in ops/drills without .json', required: true }),
  };

  static override flags = {
    sandbox: Flags.boolean({ description: 'run on a disposable hall started for the drill', exclusive: ['target'] }),
    target: Flags.string({
      description: 'run against the deployment at this URL (its database is DATABASE_URL)',
      exclusive: ['sandbox'],
    }),
    experiment: Flags.string({ description: 'the experiment file (default: ops/drills/<scenario>.json)' }),
    out: Flags.string({ description: 'also write the report as Markdown to this file' }),
  };

  static override examples = [
    '<%= config.bin %> <%= command.id %> database-restart --sandbox --operator T0002',
    'DATABASE_URL=postgres://hall@db/hall DRILL_PASSWORD=… <%= config.bin %> <%= command.id %> database-unreachable --target https://hall.example.edu --operator T0002',
  ];

  async run(): Promise<DrillReport> {
    const actor = await this.operator();
    this.unwrap(await this.useCases.drills.mayRun(actor));
    if (!this.flags.sandbox && !this.flags.target)
      this.error('say where the drill runs: --sandbox or --target URL', { exit: 2 });
    const { args } = await this.parse(DrillRun);
    const scenario = args.scenario;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(scenario)) this.error(`'${scenario}' is not a scenario name`, { exit: 2 });
    const file = this.flags.experiment ?? path.join(experimentsDir, `${scenario}.json`);
    const experiment = await loadExperiment(file).catch((e: Error) => this.error(e.message, { exit: 2 }));
    const mode = this.flags.sandbox ? 'sandbox' : 'target';
    const missing = unavailableIn(experiment, mode);
    if (missing.length)
      this.error(`${scenario} cannot run in ${mode} mode:\n${missing.map((m) => `  - ${m}`).join('\n')}`, { exit: 2 });
    const databaseUrl = process.env.DATABASE_URL;
    if (mode === 'target' && !databaseUrl)
      this.error('--target needs DATABASE_URL: the deployment’s database', { exit: 2 });

    const report = await runDrill({
      scenario,
      experiment,
      mode,
      target:
        mode === 'target'
          ? {
              url: this.flags.target!.replace(/\/$/, ''),
              databaseUrl: databaseUrl!,
              password: process.env.DRILL_PASSWORD ?? '',
            }
          : undefined,
      log: (line) => this.logToStderr(`[drill] ${line}`),
    });
    const stored = this.unwrap(await this.useCases.drills.record(actor, report));
    if (this.flags.out) await writeFile(this.flags.out, drillReportMarkdown(stored), { flag: 'wx' });
    if (!this.jsonEnabled()) this.log(drillReportMarkdown(stored));
    this.logToStderr(`drill ${stored.id}: ${stored.verdict}`);
    if (stored.verdict !== 'passed') process.exitCode = 1;
    return stored;
  }
}
