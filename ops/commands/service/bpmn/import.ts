import { readFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import type { ServiceVersionView } from '../../../../src/application/service-items/service-item.view.js';
import type { TimeLimit } from '../../../../src/domain/process-definition/process-definition.js';
import { BaseCommand } from '../../../base-command.js';
import { itemIdOf } from '../../../service-item-ref.js';

export default class ServiceBpmnImport extends BaseCommand<typeof ServiceBpmnImport> {
  static override summary = 'Set the process definition of the draft version from a BPMN 2.0 file (docs/bpmn.md).';
  static override description =
    'As PUT /api/v1/service-items/{itemId}/draft/bpmn: the owning unit only, audited; every problem of the file is listed and nothing is changed.';
  static override examples = [
    '<%= config.bin %> service bpmn import CW-CLBX drawing.bpmn --default-time-limit 3d --operator T0301',
  ];
  static override args = {
    item: Args.string({ description: 'code or id', required: true }),
    file: Args.string({ description: 'the BPMN 2.0 XML file', required: true }),
  };
  static override flags = {
    form: Flags.string({
      description: "a JSON Schema file: the form, when the BPMN file has no hall:form (default: the draft's form)",
    }),
    'default-time-limit': Flags.string({
      description: 'the time limit of tasks without hall:timeLimit: 3d (working days) or 48h',
    }),
  };

  async run(): Promise<ServiceVersionView> {
    const { args } = await this.parse(ServiceBpmnImport);
    const read = async (file: string): Promise<string> => {
      try {
        return await readFile(file, 'utf8');
      } catch (e) {
        return this.error(`cannot read ${file}: ${(e as Error).message}`, { exit: 2 });
      }
    };
    const bpmn = await read(args.file);
    let form: Record<string, unknown> | undefined;
    if (this.flags.form) {
      try {
        form = JSON.parse(await read(this.flags.form)) as Record<string, unknown>;
      } catch (e) {
        this.error(`${this.flags.form} is not JSON: ${(e as Error).message}`, { exit: 2 });
      }
    }
    let defaultTimeLimit: TimeLimit | undefined;
    const limit = this.flags['default-time-limit'];
    if (limit !== undefined) {
      const m = /^(\d{1,4})(d|h)$/i.exec(limit.trim());
      if (!m) this.error(`--default-time-limit: '${limit}' is not like 3d or 48h`, { exit: 2 });
      defaultTimeLimit = m[2]!.toLowerCase() === 'd' ? { workingDays: Number(m[1]) } : { hours: Number(m[1]) };
    }
    const actor = await this.operator();
    const itemId = await itemIdOf(this.useCases, actor, args.item);
    if (!itemId) this.error(`no service item '${args.item}' that you may see`, { exit: 2 });
    const v = this.unwrap(await this.useCases.importBpmn.execute({ actor, itemId, bpmn, form, defaultTimeLimit }));
    this.log(`draft v${v.number} of ${args.item} now holds the process of ${args.file}`);
    return v;
  }
}
