import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

export default class ServiceShow extends BaseCommand<typeof ServiceShow> {
  static override summary = 'Show one service item with its versions, by code (e.g. JW-ZDZM) or id.';
  static override args = { item: Args.string({ description: 'code or id', required: true }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(ServiceShow);
    const actor = await this.operator();
    let id = args.item;
    if (!/^[0-9a-f-]{36}$/.test(id)) {
      const all = this.unwrap(await this.useCases.listServiceItems.execute({ actor, limit: 200 }));
      const found = all.items.find((i) => i.code === args.item);
      if (!found) this.error(`no service item '${args.item}' that you may see`, { exit: 2 });
      id = found.id;
    }
    const item = this.unwrap(await this.useCases.getServiceItem.execute({ actor, itemId: id }));
    this.log(
      `${item.code} ${item.name} — ${item.state} (owner ${item.owningUnit}; involved ${item.involvedUnits.join(', ')})`,
    );
    for (const v of item.versions)
      this.log(`  v${v.number} ${v.state}${v.launchedAt ? ` launched ${v.launchedAt}` : ''}`);
    return item;
  }
}
