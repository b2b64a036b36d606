import type { Knex } from 'knex';
import type { AttachmentRecord, AttachmentRepository } from '../../../application/ports/attachment-store.port.js';

interface Row {
  id: string;
  application_id: string;
  uploaded_by: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: Date;
}
const toRecord = (r: Row): AttachmentRecord => ({
  id: r.id,
  applicationId: r.application_id,
  uploadedBy: r.uploaded_by,
  fileName: r.file_name,
  contentType: r.content_type,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at,
});

export class KnexAttachmentRepository implements AttachmentRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async add(a: AttachmentRecord): Promise<void> {
    await this.db('attachments').insert({
      id: a.id,
      application_id: a.applicationId,
      uploaded_by: a.uploadedBy,
      file_name: a.fileName,
      content_type: a.contentType,
      size: a.size,
      sha256: a.sha256,
      created_at: a.createdAt,
    });
  }

  async findById(id: string): Promise<AttachmentRecord | null> {
    const r = await this.db<Row>('attachments').where({ id }).first();
    return r ? toRecord(r) : null;
  }

  async listByApplication(applicationId: string): Promise<AttachmentRecord[]> {
    return (await this.db<Row>('attachments').where({ application_id: applicationId }).orderBy('created_at')).map(
      toRecord,
    );
  }
}
