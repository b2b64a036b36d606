import { Flags } from '@oclif/core';
import type { ExpiringRole } from '../../../src/application/permissions/certification-expiry.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class TrainingExpiring extends BaseCommand<typeof TrainingExpiring> {
  static override summary =
    'List the admin roles whose holder’s training certifications run out within N days, or already have (Art. 17).';
  static override description =
    'One line per role: person, name, role, unit, the last day the certifications cover, days left (negative: ' +
    'already run out; the daily job revokes such roles). Today is the civil date in China.';
  static override examples = [
    '<%= config.bin %> training expiring --days 30 --operator T0002',
    '<%= config.bin %> training expiring --days 7 --format json --operator T0002',
  ];
  static override flags = {
    days: Flags.integer({ description: 'within how many days', default: 30, min: 0, max: 3660 }),
    format: Flags.string({ description: 'text or json', options: ['text', 'json'], default: 'text' }),
  };

  async run(): Promise<{ today: string; items: ExpiringRole[] }> {
    const result = this.unwrap(
      await this.useCases.certificationExpiry.expiring({ actor: await this.operator(), days: this.flags.days }),
    );
    if (this.flags.format === 'json') {
      this.log(JSON.stringify(result, null, 2));
      return result;
    }
    if (!result.items.length) this.log(`no admin role's certification runs out within ${this.flags.days} days`);
    for (const r of result.items)
      this.log(
        `${r.personId}\t${r.name}\t${r.role}\t${r.unit}\t${r.expiresOn ?? 'never certified'}\t${r.daysLeft ?? '—'}`,
      );
    return result;
  }
}
