import { Flags } from '@oclif/core';
import type { ChangeRequestView } from '../../../../src/application/service-items/change-requests.use-case.js';
import { CHANGE_REQUEST_STATES } from '../../../../src/domain/service-item/change-request.js';
import { BaseCommand } from '../../../base-command.js';
import { printChangeRequest } from './show.js';

export default class ServiceChangeList extends BaseCommand<typeof ServiceChangeList> {
  static override summary =
    'List change requests (变更申请), newest first: by default those waiting for the IT Office.';

  static override flags = {
    state: Flags.string({
      description: 'which requests',
      options: [...CHANGE_REQUEST_STATES, 'all'],
      default: 'pending',
    }),
    limit: Flags.integer({ description: 'at most this many', default: 50, min: 1, max: 200 }),
  };

  async run(): Promise<{ items: ChangeRequestView[] }> {
    const actor = await this.operator();
    const state = this.flags.state;
    const page = this.unwrap(
      await this.useCases.changeRequests.list({
        actor,
        states: state === 'all' ? undefined : [state as (typeof CHANGE_REQUEST_STATES)[number]],
        limit: this.flags.limit,
      }),
    );
    for (const r of page.items) printChangeRequest(this, r);
    if (!page.items.length) this.log(`no ${state === 'all' ? '' : `${state} `}change requests`);
    return { items: page.items };
  }
}
