import { Args } from '@oclif/core';
import type { RoleFilingView } from '../../../src/application/permissions/role-filings.use-case.js';
import { BaseCommand } from '../../base-command.js';

export function printFiling(cmd: { log(line: string): void }, f: RoleFilingView): void {
  cmd.log(`${f.id}\t${f.state}\t${f.subject}\t${f.role}@${f.unit}\tfiled by ${f.filedBy} ${f.filedAt}`);
  cmd.log(`  why: ${f.reason}`);
  for (const i of f.items) cmd.log(`  - item ${i.itemId}${i.nodes.length ? ` nodes ${i.nodes.join(', ')}` : ''}`);
  if (f.certificationId) cmd.log(`  certification ${f.certificationId}`);
  if (f.decision)
    cmd.log(
      `  ${f.state} by ${f.decision.by} at ${f.decision.at}${f.decision.comment ? `: ${f.decision.comment}` : ''}`,
    );
}

export default class FilingShow extends BaseCommand<typeof FilingShow> {
  static override summary = 'Show one filing (备案) of a role assignment, with its decision.';
  static override args = { id: Args.string({ description: 'the filing id', required: true }) };

  async run(): Promise<RoleFilingView> {
    const { args } = await this.parse(FilingShow);
    const actor = await this.operator();
    const f = this.unwrap(await this.useCases.roleFilings.get({ actor, filingId: args.id }));
    printFiling(this, f);
    return f;
  }
}
