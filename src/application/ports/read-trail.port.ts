import type { Page } from './service-item.repository.port.js';

/** What of a person's data was read: an application's form, one of its attachments, or a printout of it. */
export type DataReadKind = 'form' | 'attachment' | 'printout';

/** One read of a person's data by someone else (Art. 15, 19: who saw what, traceable). */
export interface DataRead {
  at: Date;
  /** Who read it. */
  readerId: string;
  /** Whose data it is: the applicant. */
  subjectId: string;
  applicationId: string;
  what: DataReadKind;
  /** The attachment's id, the printout's code: which one. */
  detail?: string | null;
  requestId?: string | null;
}

/**
 * The trail of reads of personal data. Recording is cheap and never fails the read: reads are kept
 * in memory and written in batches shortly after, never in the reader's transaction.
 */
export interface ReadTrail {
  record(read: DataRead): void;
  /** Writes what is kept now (at shutdown, and where a caller must see it written). */
  flush(): Promise<void>;
  /** Who read a person's data, newest first, a page at a time. */
  list(o: { subjectId: string; limit: number; cursor?: string }): Promise<Page<DataRead & { id: string }>>;
}
