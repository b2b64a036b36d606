import { Errors, Flags } from '@oclif/core';
import { readFile } from 'node:fs/promises';
import type { AuditVerification } from '../../../src/application/audit/verify-audit-log.use-case.js';
import { notesOfCheckpointFile } from '../../../src/domain/audit/checkpoint.js';
import { BaseCommand } from '../../base-command.js';

export default class AuditVerify extends BaseCommand<typeof AuditVerify> {
  static override summary = 'Recompute the audit log’s Merkle tree and check it against the signed checkpoints.';
  static override description =
    'Every entry is hashed again and the tree rebuilt; it must match the stored leaves and every checkpoint ' +
    '(those in the database, and with --checkpoints those in a checkpoint file kept outside it). Exits 0 when the ' +
    'log is intact, 1 naming the first bad seq when an entry was edited, deleted, inserted, moved or the tail cut off.';

  static override flags = {
    from: Flags.integer({ description: 'first seq whose entry is recomputed', min: 1 }),
    to: Flags.integer({ description: 'last seq whose entry is recomputed', min: 1 }),
    checkpoints: Flags.string({
      description: 'a checkpoint file kept outside the database (AUDIT_CHECKPOINT_FILE), checked as well',
    }),
  };

  async run(): Promise<AuditVerification> {
    const externalNotes = this.flags.checkpoints
      ? notesOfCheckpointFile(
          await readFile(this.flags.checkpoints, 'utf8').catch((e: NodeJS.ErrnoException) =>
            this.error(`cannot read ${this.flags.checkpoints}: ${e.code ?? e.message}`, { exit: 2 }),
          ),
        )
      : undefined;
    const r = this.unwrap(
      await this.useCases.verifyAuditLog.execute({
        actor: await this.operator(),
        fromSeq: this.flags.from,
        toSeq: this.flags.to,
        externalNotes,
      }),
    );
    const cp = r.checkpoints.latest;
    const archived = r.archived.length
      ? `; seq 1..${r.archived[r.archived.length - 1]!.lastSeq} archived (${r.archived.map((a) => `${a.month}: ${a.firstSeq}..${a.lastSeq}`).join(', ')}), the tree continued from its frontier`
      : '';
    const summary = `${r.size} entries, seq ${r.checked.from}..${r.checked.to} recomputed; ${r.checkpoints.checked} checkpoint(s)${cp ? `, the latest of ${cp.treeSize} entries signed by key ${cp.keyId}` : ''}${archived}`;
    if (r.ok) {
      this.log(`INTACT: ${summary}`);
      return r;
    }
    if (this.jsonEnabled()) this.logJson(r);
    else {
      this.logToStderr(`ALTERED: first bad seq ${r.firstBadSeq ?? '(none: a checkpoint itself)'} (${summary})`);
      for (const p of r.problems) this.logToStderr(`  ${p.seq === null ? '-' : `seq ${p.seq}`}: ${p.message}`);
    }
    return this.exit(1);
  }

  /** Our own exit 1 (the log is altered) stays exit 1 with --json, its report the only output. */
  override async catch(err: Error & { oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    return super.catch(err);
  }
}
