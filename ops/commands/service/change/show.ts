import { Args } from '@oclif/core';
import type { ChangeRequestView } from '../../../../src/application/service-items/change-requests.use-case.js';
import { BaseCommand } from '../../../base-command.js';

export function printChangeRequest(cmd: { log(line: string): void }, r: ChangeRequestView): void {
  cmd.log(`${r.id}\t${r.state}\t${r.itemCode} ${r.itemName}\t${r.unit}\t${r.requestedBy}\t${r.requestedAt}`);
  cmd.log(`  why: ${r.reason}`);
  for (const n of r.needs) cmd.log(`  - ${n.aspect}: ${n.description}`);
  if (r.decision)
    cmd.log(
      `  ${r.state} by ${r.decision.by} at ${r.decision.at}${r.decision.comment ? `: ${r.decision.comment}` : ''}${r.versionId ? ` (draft ${r.versionId})` : ''}`,
    );
}

export default class ServiceChangeShow extends BaseCommand<typeof ServiceChangeShow> {
  static override summary = 'Show one change request (变更申请) with what changes, why, and its decision.';
  static override args = { id: Args.string({ description: 'the change request id', required: true }) };

  async run(): Promise<ChangeRequestView> {
    const { args } = await this.parse(ServiceChangeShow);
    const actor = await this.operator();
    const r = this.unwrap(await this.useCases.changeRequests.get({ actor, requestId: args.id }));
    printChangeRequest(this, r);
    return r;
  }
}
