import type { ApplicationState } from '../../domain/application/application-state.js';
import type { Page } from './service-item.repository.port.js';

/**
 * How a handler was done with a task (已办): the decision (a signer's opinion counts as the outcome
 * it gave), or the hand-on to someone else. Claims, copies, comments and added signers are not.
 */
export const DONE_OUTCOMES = [
  'approved',
  'rejected',
  'returned',
  'transferred',
  'delegated',
  'delegation-resolved',
] as const;
export type DoneOutcome = (typeof DONE_OUTCOMES)[number];

/** One line of my done list: a task, my last action on it, and where its application stands now. */
export interface DoneTask {
  taskId: string;
  node: { key: string; name: string | null };
  outcome: DoneOutcome;
  actedAt: string;
  applicationId: string;
  caseNumber: string | null;
  serviceItem: { id: string; code: string; name: string };
  /** The application's state now, not when I acted. */
  state: ApplicationState;
}

/** One line of my copied list (抄送我的): an application, when and by whom it was copied to me. */
export interface CopiedApplication {
  applicationId: string;
  caseNumber: string | null;
  serviceItem: { id: string; code: string; name: string };
  state: ApplicationState;
  applicantId: string;
  copiedAt: string;
  copiedBy: string;
}

/** Filters both lists take; instants bound the acting (or copying) time, `from` inclusive, `to` exclusive. */
export interface ListFilter {
  itemId?: string;
  caseNumber?: string;
  from?: Date;
  to?: Date;
}

/** The handler's read models besides the inbox; never loads an aggregate, and only ever the person's own lines. */
export interface HandlerLists {
  /** Tasks the person acted on, one line per task (their last action on it), newest first (keyset cursor). */
  done(options: {
    person: string;
    filter: ListFilter & { outcome?: DoneOutcome };
    limit: number;
    cursor?: string;
  }): Promise<Page<DoneTask>>;
  /** Applications copied to the person, newest copy first (keyset cursor). */
  copied(options: {
    person: string;
    filter: ListFilter & { state?: ApplicationState };
    limit: number;
    cursor?: string;
  }): Promise<Page<CopiedApplication>>;
  /** The tasks done (as the done list counts them), the applications copied, and the inbox's open tasks overdue at `now`. */
  counts(options: {
    person: string;
    pools: Array<{ role: string; unit: string }>;
    now: Date;
  }): Promise<{ done: number; copied: number; overdue: number }>;
}
