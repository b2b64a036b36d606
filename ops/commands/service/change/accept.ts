import { Args, Flags } from '@oclif/core';
import type { ChangeRequestView } from '../../../../src/application/service-items/change-requests.use-case.js';
import { BaseCommand } from '../../../base-command.js';
import { printChangeRequest } from './show.js';

export default class ServiceChangeAccept extends BaseCommand<typeof ServiceChangeAccept> {
  static override summary =
    'Accept a change request as the IT Office: the draft version opens, a copy of the online one, for the unit to edit and relaunch.';
  static override args = { id: Args.string({ description: 'the change request id', required: true }) };
  static override flags = { comment: Flags.string({ description: 'a comment for the unit' }) };

  async run(): Promise<ChangeRequestView> {
    const { args } = await this.parse(ServiceChangeAccept);
    const actor = await this.operator();
    const r = this.unwrap(
      await this.useCases.changeRequests.decide({
        actor,
        requestId: args.id,
        decision: 'accept',
        ...(this.flags.comment ? { comment: this.flags.comment } : {}),
      }),
    );
    printChangeRequest(this, r);
    return r;
  }
}
