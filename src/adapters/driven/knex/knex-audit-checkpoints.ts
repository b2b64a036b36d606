import type { Knex } from 'knex';
import type { AuditCheckpoints, StoredCheckpoint } from '../../../application/ports/audit-checkpoints.port.js';

interface Row {
  id: number;
  tree_size: number;
  root_hash: string;
  key_id: string;
  note: string;
  published_at: Date;
}

const of = (r: Row): StoredCheckpoint => ({
  id: r.id,
  treeSize: r.tree_size,
  rootHash: r.root_hash,
  keyId: r.key_id,
  note: r.note,
  publishedAt: r.published_at,
});

/** Signed checkpoints in `audit_checkpoints` (append-only, like the log). */
export class KnexAuditCheckpoints implements AuditCheckpoints {
  constructor(private readonly db: Knex) {}

  async append(c: Omit<StoredCheckpoint, 'id'>): Promise<StoredCheckpoint> {
    const [row] = (await this.db('audit_checkpoints')
      .insert({
        tree_size: c.treeSize,
        root_hash: c.rootHash,
        key_id: c.keyId,
        note: c.note,
        published_at: c.publishedAt,
      })
      .returning('*')) as Row[];
    return of(row!);
  }

  async latest(): Promise<StoredCheckpoint | null> {
    const row = (await this.db('audit_checkpoints')
      .orderBy([
        { column: 'tree_size', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first()) as Row | undefined;
    return row ? of(row) : null;
  }

  async list(): Promise<StoredCheckpoint[]> {
    return ((await this.db('audit_checkpoints').orderBy(['tree_size', 'id'])) as Row[]).map(of);
  }
}
