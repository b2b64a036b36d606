import { Flags } from '@oclif/core';
import type { ServiceItemView } from '../../../src/application/service-items/service-item.view.js';
import { SERVICE_ITEM_STATES, type ServiceItemState } from '../../../src/domain/service-item/service-item-lifecycle.js';
import { BaseCommand } from '../../base-command.js';

export default class ServiceList extends BaseCommand<typeof ServiceList> {
  static override summary = 'List service items (服务事项) and their lifecycle states.';
  static override flags = {
    state: Flags.string({
      description: 'only items in these states',
      options: [...SERVICE_ITEM_STATES],
      multiple: true,
    }),
    limit: Flags.integer({ description: 'at most this many', default: 200, min: 1, max: 200 }),
  };

  async run(): Promise<{ items: ServiceItemView[] }> {
    const result = this.unwrap(
      await this.useCases.listServiceItems.execute({
        actor: await this.operator(),
        states: this.flags.state as ServiceItemState[] | undefined,
        limit: this.flags.limit,
      }),
    );
    for (const i of result.items) this.log(`${i.code}\t${i.state}\t${i.owningUnit}\t${i.name}`);
    return { items: result.items };
  }
}
