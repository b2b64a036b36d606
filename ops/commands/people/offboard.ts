import { Args, Flags } from '@oclif/core';
import type { HandoverReport } from '../../../src/application/people/offboard-person.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class PeopleOffboard extends BaseCommand<typeof PeopleOffboard> {
  static override summary =
    'A person leaves, retires or is suspended: revoke their roles, end their sessions, hand over (交接) their pending work.';
  static override examples = [
    '<%= config.bin %> people offboard T0302 --operator T0002 --status left --successor T0301',
  ];
  static override args = { person: Args.string({ description: 'staff id', required: true }) };
  static override flags = {
    status: Flags.string({
      description: 'new employment status',
      options: ['left', 'retired', 'suspended'],
      required: true,
    }),
    successor: Flags.string({
      description: 'staff id who takes over their tasks; without it tasks go back to their pools',
    }),
  };

  async run(): Promise<HandoverReport> {
    const { args } = await this.parse(PeopleOffboard);
    const report = this.unwrap(
      await this.useCases.offboardPerson.execute({
        actor: await this.operator(),
        personId: args.person,
        status: this.flags.status as HandoverReport['status'],
        successor: this.flags.successor,
      }),
    );
    this.log(
      `${report.personId} is now ${report.status}: ${report.rolesRevoked.length} role(s) revoked, ${report.sessionsEnded} session(s) ended, ${report.tasks.length} task(s) handed over`,
    );
    for (const t of report.tasks) this.log(`  ${t.caseNumber ?? t.applicationId}\t${t.node}\t-> ${t.to}`);
    return report;
  }
}
