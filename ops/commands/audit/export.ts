import { Flags } from '@oclif/core';
import { writeFile } from 'node:fs/promises';
import { BaseCommand } from '../../base-command.js';

export interface AuditExportResult {
  file: string;
  entries: number;
  treeSize: number;
  keyId: string;
}

export default class AuditExport extends BaseCommand<typeof AuditExport> {
  static override summary = 'Export audit evidence (取证): entries with their inclusion proofs, checked offline.';
  static override description =
    'Writes a bundle (JSON lines: README, header, signed checkpoint, public key, one entry with its inclusion proof a ' +
    'line) of the entries by or about a person, about an application, and/or within a time range. ' +
    '`hall audit verify-bundle FILE` checks it with no server and no database.';

  static override flags = {
    person: Flags.string({ description: 'entries the person (staff/student number) made, or about them' }),
    application: Flags.string({ description: 'entries about the application (its id)' }),
    from: Flags.string({ description: 'entries at or after this ISO 8601 instant' }),
    to: Flags.string({ description: 'entries before this ISO 8601 instant' }),
    out: Flags.string({ description: 'the bundle file to write', required: true }),
  };

  static override examples = [
    '<%= config.bin %> <%= command.id %> --person 2024110101 --out evidence.jsonl --operator T0003',
    '<%= config.bin %> <%= command.id %> --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z --out nov.jsonl --operator T0002',
  ];

  async run(): Promise<AuditExportResult> {
    const r = this.unwrap(
      await this.useCases.exportEvidence.execute({
        actor: await this.operator(),
        personId: this.flags.person,
        applicationId: this.flags.application,
        from: this.instant('from', this.flags.from),
        to: this.instant('to', this.flags.to),
      }),
    );
    await writeFile(this.flags.out, r.text, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) =>
      this.error(`cannot write ${this.flags.out}: ${e.code ?? e.message}`, { exit: 2 }),
    );
    this.log(
      `${r.entries} entr${r.entries === 1 ? 'y' : 'ies'} written to ${this.flags.out}, proven against the checkpoint of ${r.treeSize} entries (key ${r.keyId})`,
    );
    return { file: this.flags.out, entries: r.entries, treeSize: r.treeSize, keyId: r.keyId };
  }

  private instant(flag: string, value: string | undefined): Date | undefined {
    if (value === undefined) return undefined;
    const d = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(d.getTime()))
      this.error(`--${flag}: '${value}' is not an ISO 8601 date or instant (2026-11-30T08:00:00Z)`, { exit: 2 });
    return d;
  }
}
