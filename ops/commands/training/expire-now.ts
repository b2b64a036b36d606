import type { ExpiryRun } from '../../../src/application/permissions/certification-expiry.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class TrainingExpireNow extends BaseCommand<typeof TrainingExpireNow> {
  static override summary =
    'Run the daily certification check now: revoke the admin roles without a valid certification, send due notices.';
  static override description =
    'What the `certification-expiry` job does every day (Art. 17), audited as the operator: every admin role whose ' +
    'holder has no training certification valid today is revoked, and the person and the IT Office are told; ' +
    'holders whose certifications run out within 30 or 7 days are told once per threshold. Running it again ' +
    'changes nothing and tells nobody twice.';

  async run(): Promise<ExpiryRun> {
    const run = this.unwrap(await this.useCases.certificationExpiry.runAs(await this.operator()));
    for (const r of run.revoked) this.log(`revoked ${r.role} in ${r.unit} of ${r.subject}: certification expired`);
    for (const n of run.noticed)
      this.log(`told ${n.notified.join(', ')}: certifications of ${n.personId} run out on ${n.expiresOn}`);
    this.log(`${run.today}: ${run.revoked.length} admin roles revoked, ${run.noticed.length} expiry notices sent`);
    return run;
  }
}
