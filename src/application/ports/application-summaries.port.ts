import type { ApplicationState } from '../../domain/application/application-state.js';
import type { Page } from './service-item.repository.port.js';

/** One line of an applicant's list: where an application stands, without its form, tasks or history. */
export interface ApplicationSummary {
  id: string;
  caseNumber: string | null;
  serviceItem: { id: string; code: string; name: string };
  state: ApplicationState;
  /** The step it waits at, with the name its process gives it; null once it has ended (or as a draft). */
  activeNode: { key: string; name: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

/** What the owning unit's admins and the IT Office search an item's submitted applications by. */
export interface ItemApplicationFilters {
  itemId: string;
  /** A case number, or its beginning. */
  caseNumber?: string;
  /** The applicant's person id. */
  applicant?: string;
  state?: ApplicationState;
  /** A node the application is active at. */
  node?: string;
  /** Submitted at or after. */
  submittedFrom?: Date;
  /** Submitted before. */
  submittedTo?: Date;
}

/** One line of an item's applications for its managers: who applied and where it stands, never its form. */
export interface ItemApplicationLine {
  id: string;
  caseNumber: string | null;
  applicant: { id: string; name: string | null; unit: string };
  state: ApplicationState;
  /** The steps it waits at, with the names its process gives them; none once it has ended or while returned. */
  activeNodes: Array<{ key: string; name: string | null }>;
  submittedAt: string;
  updatedAt: string;
  endedAt: string | null;
}

/** Read model of applications for lists; never loads an aggregate. */
export interface ApplicationSummaries {
  /** The applicant's applications, newest first (keyset cursor). */
  ofApplicant(options: { applicantId: string; limit: number; cursor?: string }): Promise<Page<ApplicationSummary>>;
  /**
   * An item's submitted applications within the filters, newest submission first; the cursor is
   * bound to the filters (one altered, or used with other filters, is a 400 naming `cursor`).
   */
  ofItem(options: ItemApplicationFilters & { limit: number; cursor?: string }): Promise<Page<ItemApplicationLine>>;
}
