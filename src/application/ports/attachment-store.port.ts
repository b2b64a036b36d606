/** Where attachment bytes live (local disk by default; object storage later). Keys are the attachments' ids (uuids), opaque to the store. */
export interface AttachmentStore {
  /** Stores the bytes and returns their SHA-256 (hex), which the metadata keeps. */
  put(key: string, content: Buffer): Promise<{ sha256: string }>;
  /** The bytes and their SHA-256 as read back, so tampering or loss shows. */
  get(key: string): Promise<{ content: Buffer; sha256: string } | null>;
  remove(key: string): Promise<void>;
}

export interface AttachmentRecord {
  id: string;
  applicationId: string;
  uploadedBy: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
}

export interface AttachmentRepository {
  add(record: AttachmentRecord): Promise<void>;
  findById(id: string): Promise<AttachmentRecord | null>;
  listByApplication(applicationId: string): Promise<AttachmentRecord[]>;
}
