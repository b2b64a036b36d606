import { Args, Flags } from '@oclif/core';
import type { ChangeRequestView } from '../../../../src/application/service-items/change-requests.use-case.js';
import { BaseCommand } from '../../../base-command.js';
import { printChangeRequest } from './show.js';

export default class ServiceChangeRefuse extends BaseCommand<typeof ServiceChangeRefuse> {
  static override summary =
    'Refuse a change request as the IT Office, with the reason the unit is told; no draft opens.';
  static override args = { id: Args.string({ description: 'the change request id', required: true }) };
  static override flags = { reason: Flags.string({ description: 'why it is refused', required: true }) };

  async run(): Promise<ChangeRequestView> {
    const { args } = await this.parse(ServiceChangeRefuse);
    const actor = await this.operator();
    const r = this.unwrap(
      await this.useCases.changeRequests.decide({
        actor,
        requestId: args.id,
        decision: 'refuse',
        reason: this.flags.reason,
      }),
    );
    printChangeRequest(this, r);
    return r;
  }
}
