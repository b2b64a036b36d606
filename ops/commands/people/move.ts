import { Args, Flags } from '@oclif/core';
import type { PostChangeReport } from '../../../src/application/people/change-post.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class PeopleMove extends BaseCommand<typeof PeopleMove> {
  static override summary =
    "A person's unit changes (异动/调离): revoke their roles in the old unit, hand over (交接) its work they held, tell both units' service admins.";
  static override examples = [
    '<%= config.bin %> people move T0302 --operator T0002 --unit logistics --successor T0301 --reason 调岗',
  ];
  static override args = { person: Args.string({ description: 'staff or student id', required: true }) };
  static override flags = {
    unit: Flags.string({ description: 'key of the new unit', required: true }),
    successor: Flags.string({
      description: 'staff id in the old unit who takes over their tasks; without it tasks go back to their pools',
    }),
    reason: Flags.string({ description: 'why the post changed', required: true }),
  };

  async run(): Promise<PostChangeReport> {
    const { args } = await this.parse(PeopleMove);
    const report = this.unwrap(
      await this.useCases.changePost.execute({
        actor: await this.operator(),
        personId: args.person,
        unit: this.flags.unit,
        successor: this.flags.successor,
        reason: this.flags.reason,
      }),
    );
    if (report.from === report.to) {
      this.log(`${report.personId} is already in ${report.to}: nothing moved`);
      return report;
    }
    this.log(
      `${report.personId} moved from ${report.from} to ${report.to}: ${report.rolesRevoked.length} role(s) revoked, ${report.sessionsEnded} session(s) ended, ${report.tasks.length} task(s) handed over, ${report.notified.length} admin(s) told`,
    );
    for (const r of report.rolesRevoked) this.log(`  revoked ${r.role} in ${r.unit}`);
    for (const t of report.tasks) this.log(`  ${t.caseNumber ?? t.applicationId}\t${t.node}\t-> ${t.to}`);
    return report;
  }
}
