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

/** Read model of applications for lists; never loads an aggregate. */
export interface ApplicationSummaries {
  /** The applicant's applications, newest first (keyset cursor). */
  ofApplicant(options: { applicantId: string; limit: number; cursor?: string }): Promise<Page<ApplicationSummary>>;
}
