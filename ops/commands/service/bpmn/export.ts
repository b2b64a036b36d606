import { writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';
import { itemIdOf } from '../../../service-item-ref.js';

export default class ServiceBpmnExport extends BaseCommand<typeof ServiceBpmnExport> {
  static override summary = "Write a version's process definition as BPMN 2.0 XML (opens in bpmn.io; docs/bpmn.md).";
  static override examples = [
    '<%= config.bin %> service bpmn export JW-ZDZM --operator T0002 --out jw-zdzm.bpmn',
    '<%= config.bin %> service bpmn export HQ-TS --version 1 --operator T0002',
  ];
  static override args = { item: Args.string({ description: 'code or id', required: true }) };
  static override flags = {
    version: Flags.integer({ description: 'the version number (default: the newest)' }),
    out: Flags.string({ description: 'the file to write (default: standard output)' }),
  };

  async run(): Promise<{ itemId: string; version: number; bytes: number; out?: string }> {
    const { args } = await this.parse(ServiceBpmnExport);
    const actor = await this.operator();
    const itemId = await itemIdOf(this.useCases, actor, args.item);
    if (!itemId) this.error(`no service item '${args.item}' that you may see`, { exit: 2 });
    const item = this.unwrap(await this.useCases.getServiceItem.execute({ actor, itemId }));
    const versions = [...item.versions].sort((a, b) => b.number - a.number);
    const version =
      this.flags.version === undefined ? versions[0] : versions.find((v) => v.number === this.flags.version);
    if (!version) this.error(`${item.code} has no version ${this.flags.version ?? ''}`.trim(), { exit: 2 });
    const xml = this.unwrap(await this.useCases.exportBpmn.execute({ actor, itemId, versionId: version.id }));
    if (this.flags.out) {
      await writeFile(this.flags.out, xml, 'utf8');
      this.log(`wrote ${item.code} v${version.number} to ${this.flags.out}`);
    } else if (!this.jsonEnabled()) process.stdout.write(xml.endsWith('\n') ? xml : `${xml}\n`);
    return {
      itemId,
      version: version.number,
      bytes: Buffer.byteLength(xml),
      ...(this.flags.out ? { out: this.flags.out } : {}),
    };
  }
}
