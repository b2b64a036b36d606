import { Flags } from '@oclif/core';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditArchive } from '../../../src/application/audit/archive-audit-month.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class AuditArchiveMonth extends BaseCommand<typeof AuditArchiveMonth> {
  static override summary = 'Archive a month of the audit log older than the retention, and drop its partition.';
  static override description =
    'Writes the month’s entries (China Standard Time months, UTC+8) to an archive file with the signed checkpoint ' +
    'covering them and the Merkle tree’s frontier before and after them, records it in audit_archives with the ' +
    'file’s SHA-256, and drops the month’s partition, all in one transaction. Only the IT Office; only a month ' +
    'that ended more than AUDIT_RETENTION_MONTHS (at least 6) months ago, whose every entry is sequenced and ' +
    'covered by a checkpoint, oldest month first. `hall audit verify-archive FILE` checks the file offline. Run it ' +
    'as the role that owns the tables (the migrations’ role): dropping a partition needs it.';

  static override flags = {
    month: Flags.string({ description: 'the month, YYYY-MM', required: true }),
    out: Flags.string({ description: 'the archive file to write (default: audit-archive-YYYY-MM.jsonl)' }),
  };

  static override examples = ['<%= config.bin %> <%= command.id %> --month 2026-04 --operator T0002'];

  async run(): Promise<AuditArchive> {
    const out = this.flags.out ?? `audit-archive-${this.flags.month}.jsonl`;
    const r = this.unwrap(
      await this.useCases.archiveAuditMonth.execute({
        actor: await this.operator(),
        month: this.flags.month,
        fileName: path.basename(out),
        write: (text) =>
          writeFile(out, text, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) =>
            this.error(`cannot write ${out}: ${e.code ?? e.message}`, { exit: 2 }),
          ),
      }),
    );
    this.log(
      `${r.month} archived to ${out}: seq ${r.firstSeq}..${r.lastSeq} (${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}), ` +
        `${r.rowsRemoved} row(s) removed with its partition; sha256 ${r.fileSha256}; proven against the checkpoint of ` +
        `${r.checkpointTreeSize} entries (key ${r.keyId})`,
    );
    return r;
  }
}
