import { BaseCommand } from '../../base-command.js';

export interface AuditCheckpointResult {
  published: boolean;
  treeSize: number;
  rootHash: string;
  keyId: string;
  note: string;
}

export default class AuditCheckpoint extends BaseCommand<typeof AuditCheckpoint> {
  static override summary = 'Publish a signed checkpoint of the audit log now (C2SP tlog-checkpoint).';
  static override description =
    'Sequences every committed entry, then signs a checkpoint of the whole tree, unless the latest one already covers it. ' +
    'It is kept in the database and appended to AUDIT_CHECKPOINT_FILE when that is set. Refused (exit 2) when the log ' +
    'no longer extends the latest checkpoint: run `hall audit verify`.';

  async run(): Promise<AuditCheckpointResult> {
    const { checkpoint: c, published } = this.unwrap(
      await this.useCases.auditCheckpoints.publishAs(await this.operator()),
    );
    this.log(
      `${published ? 'published' : 'already published'}: checkpoint of ${c.treeSize} entries, key ${c.keyId}\n\n${c.note}`,
    );
    return { published, treeSize: c.treeSize, rootHash: c.rootHash, keyId: c.keyId, note: c.note };
  }
}
