import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AttachmentStore } from '../../../application/ports/attachment-store.port.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Files under `<data dir>/attachments/<k0k1>/<key>`, written atomically (temp file + rename). */
export class LocalDiskAttachmentStore implements AttachmentStore {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    if (!/^[0-9a-f-]{36}$/.test(key)) throw new Error('attachment keys are uuids');
    return path.join(this.root, key.slice(0, 2), key);
  }

  async put(key: string, content: Buffer): Promise<{ sha256: string }> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, content, { mode: 0o600 });
    await rename(temp, target);
    return { sha256: sha256(content) };
  }

  async get(key: string): Promise<{ content: Buffer; sha256: string } | null> {
    try {
      const content = await readFile(this.file(key));
      return { content, sha256: sha256(content) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}
