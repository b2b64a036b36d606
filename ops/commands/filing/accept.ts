import { Args, Flags } from '@oclif/core';
import type { RoleFilingView } from '../../../src/application/permissions/role-filings.use-case.js';
import { BaseCommand } from '../../base-command.js';
import { printFiling } from './show.js';

export default class FilingAccept extends BaseCommand<typeof FilingAccept> {
  static override summary =
    'Accept a filing as the IT Office: the role is granted from it (the person must still be eligible).';
  static override args = { id: Args.string({ description: 'the filing id', required: true }) };
  static override flags = { comment: Flags.string({ description: 'a comment for the unit' }) };

  async run(): Promise<RoleFilingView> {
    const { args } = await this.parse(FilingAccept);
    const actor = await this.operator();
    const f = this.unwrap(
      await this.useCases.roleFilings.decide({
        actor,
        filingId: args.id,
        decision: 'accept',
        ...(this.flags.comment ? { comment: this.flags.comment } : {}),
      }),
    );
    printFiling(this, f);
    return f;
  }
}
