import { Args, Flags } from '@oclif/core';
import type { RoleFilingView } from '../../../src/application/permissions/role-filings.use-case.js';
import { BaseCommand } from '../../base-command.js';
import { printFiling } from './show.js';

export default class FilingRefuse extends BaseCommand<typeof FilingRefuse> {
  static override summary = 'Refuse a filing as the IT Office, with the reason the unit is told: nothing is granted.';
  static override args = { id: Args.string({ description: 'the filing id', required: true }) };
  static override flags = { reason: Flags.string({ description: 'why it is refused', required: true }) };

  async run(): Promise<RoleFilingView> {
    const { args } = await this.parse(FilingRefuse);
    const actor = await this.operator();
    const f = this.unwrap(
      await this.useCases.roleFilings.decide({
        actor,
        filingId: args.id,
        decision: 'refuse',
        reason: this.flags.reason,
      }),
    );
    printFiling(this, f);
    return f;
  }
}
