import { createHash } from 'node:crypto';
import type {
  AttachmentRecord,
  AttachmentRepository,
  AttachmentStore,
} from '../../src/application/ports/attachment-store.port.js';
import type { AttachmentInspector } from '../../src/application/ports/attachment-inspector.port.js';
import type { AttachmentType } from '../../src/domain/application/attachment-policy.js';
import type { HallState } from './in-memory-database.js';

/** Attachment metadata, in the unit of work's transaction. */
export class InMemoryAttachmentRepository implements AttachmentRepository {
  constructor(private readonly state: HallState) {}

  async add(record: AttachmentRecord): Promise<void> {
    if (this.state.attachments.has(record.id)) throw new Error(`duplicate key: attachment ${record.id}`);
    this.state.attachments.set(record.id, structuredClone(record));
  }

  async findById(id: string): Promise<AttachmentRecord | null> {
    return structuredClone(this.state.attachments.get(id) ?? null);
  }

  async listByApplication(applicationId: string): Promise<AttachmentRecord[]> {
    return structuredClone([...this.state.attachments.values()].filter((a) => a.applicationId === applicationId)).sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
    );
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Keys are attachment ids: the disk store refuses anything else (a key is part of a file path there). */
const checked = (key: string): string => {
  if (!/^[0-9a-f-]{36}$/.test(key)) throw new Error('attachment keys are uuids');
  return key;
};

/** The bytes, outside any transaction (like the local disk): a refused upload must remove what it put. */
export class InMemoryAttachmentStore implements AttachmentStore {
  readonly files = new Map<string, Buffer>();

  async put(key: string, content: Buffer): Promise<{ sha256: string }> {
    this.files.set(checked(key), Buffer.from(content));
    return { sha256: sha256(content) };
  }

  async get(key: string): Promise<{ content: Buffer; sha256: string } | null> {
    const content = this.files.get(checked(key));
    return content ? { content: Buffer.from(content), sha256: sha256(content) } : null;
  }

  async remove(key: string): Promise<void> {
    this.files.delete(checked(key));
  }
}

/**
 * Reads nothing: a file is well-formed unless a test said otherwise (`refuse`). The structure of
 * real PDFs and images is StructuralAttachmentInspector's, tested on its own.
 */
export class FakeAttachmentInspector implements AttachmentInspector {
  private readonly refused = new Map<string, string>();
  readonly inspected: AttachmentType[] = [];

  refuse(content: Buffer, why: string): void {
    this.refused.set(content.toString('base64'), why);
  }

  async inspect(o: { type: AttachmentType; content: Buffer }): Promise<string | null> {
    this.inspected.push(o.type);
    return this.refused.get(o.content.toString('base64')) ?? null;
  }
}
