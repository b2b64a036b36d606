import { Flags } from '@oclif/core';
import type { RoleFilingView } from '../../../src/application/permissions/role-filings.use-case.js';
import { ROLE_FILING_STATES, type RoleFilingState } from '../../../src/domain/people/role-filing.js';
import { BaseCommand } from '../../base-command.js';
import { printFiling } from './show.js';

export default class FilingList extends BaseCommand<typeof FilingList> {
  static override summary =
    "List the units' filings (备案) of role assignments, newest first: by default those waiting for the IT Office.";

  static override flags = {
    state: Flags.string({ description: 'which filings', options: [...ROLE_FILING_STATES, 'all'], default: 'pending' }),
    unit: Flags.string({ description: 'only those of this unit' }),
    subject: Flags.string({ description: 'only those for this person' }),
    limit: Flags.integer({ description: 'at most this many', default: 50, min: 1, max: 200 }),
  };

  async run(): Promise<{ items: RoleFilingView[] }> {
    const actor = await this.operator();
    const { state, unit, subject, limit } = this.flags;
    const page = this.unwrap(
      await this.useCases.roleFilings.list({
        actor,
        states: state === 'all' ? undefined : [state as RoleFilingState],
        unit,
        subject,
        limit,
      }),
    );
    for (const f of page.items) printFiling(this, f);
    if (!page.items.length) this.log(`no ${state === 'all' ? '' : `${state} `}filings`);
    return { items: page.items };
  }
}
