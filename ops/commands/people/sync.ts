import type { SyncReport } from '../../../src/application/people/sync-people.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class PeopleSync extends BaseCommand<typeof PeopleSync> {
  static override summary =
    "Apply the directory (DIRECTORY_FILE: an HR export in JSON or CSV) to the hall's people; people who stopped being active are offboarded; people whose unit changed leave the old unit's roles and work.";
  static override examples = ['DIRECTORY_FILE=hr-export.csv <%= config.bin %> people sync --operator T0002'];

  async run(): Promise<SyncReport> {
    const r = this.unwrap(await this.useCases.syncPeople.execute({ actor: await this.operator() }));
    this.log(
      `added ${r.added.length}, updated ${r.updated.length}, offboarded ${r.offboarded.length}, moved ${r.moved.length}, unchanged ${r.unchanged}, skipped ${r.skipped.length}`,
    );
    for (const s of r.skipped) this.log(`  skipped ${s.id}: ${s.reason}`);
    for (const o of r.offboarded)
      this.log(
        `  ${o.personId} -> ${o.status}: ${o.rolesRevoked.length} role(s) revoked, ${o.tasks.length} task(s) back to their pools`,
      );
    for (const m of r.moved)
      this.log(
        `  ${m.personId} ${m.from} -> ${m.to}: ${m.rolesRevoked.length} role(s) revoked, ${m.tasks.length} task(s) back to their pools`,
      );
    return r;
  }
}
