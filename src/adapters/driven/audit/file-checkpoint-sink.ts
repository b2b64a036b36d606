import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointSink } from '../../../application/ports/audit-checkpoints.port.js';

/**
 * A copy of every checkpoint outside the database (AUDIT_CHECKPOINT_FILE): the signed notes
 * appended one after the other, each followed by a blank line (`hall audit verify --checkpoints`
 * reads them back). Best kept on storage the database's administrators cannot write.
 */
export class FileCheckpointSink implements CheckpointSink {
  constructor(private readonly file: string) {}

  async publish(note: string): Promise<void> {
    await mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    await appendFile(this.file, `${note}\n`, { mode: 0o644 });
  }
}
