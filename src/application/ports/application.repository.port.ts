import type { Application } from '../../domain/application/application.entity.js';
import type { HistoryEntry } from '../../domain/application/application-state.js';
import type { Page } from './service-item.repository.port.js';

export interface ApplicationRepository {
  /** forUpdate serialises actions on one application, so siblings in a countersign never clash. */
  findById(id: string, options?: { forUpdate?: boolean }): Promise<Application | null>;
  /** The application a task belongs to (locked with forUpdate). */
  findByTaskId(taskId: string, options?: { forUpdate?: boolean }): Promise<Application | null>;
  /** Applications where the person holds or delegated a live task, locked for a hand-over. */
  withLiveTasksOf(personId: string): Promise<Application[]>;
  /** Writes the application with what it recorded (history, tasks), in the unit of work's transaction. */
  add(application: Application): Promise<void>;
  /**
   * Writes what changed since the application was loaded. Optimistic: a ConflictError is thrown
   * (at the latest when the unit of work commits) when it changed meanwhile.
   */
  save(application: Application): Promise<void>;
  /** A page of the history, oldest first (keyset on seq); the applicant's page leaves handlers' private notes out. */
  history(options: {
    applicationId: string;
    forApplicant: boolean;
    limit: number;
    cursor?: string;
  }): Promise<Page<HistoryEntry>>;
  /** Every history entry after `afterSeq` (all of them by default), oldest first. */
  entries(applicationId: string, afterSeq?: number): Promise<HistoryEntry[]>;
  /** The last entry of one kind by one person (e.g. when they last urged the application). */
  lastEntry(options: {
    applicationId: string;
    actor: string;
    action: HistoryEntry['action'];
  }): Promise<HistoryEntry | null>;
}

/** Case numbers (办件编号): unique per year and unit, gaps tolerated (a rolled-back submit burns one). */
export interface CaseNumberCounter {
  /** The next number of the year for a unit (counted per unit code), with that code. */
  next(options: { year: number; unit: string }): Promise<{ seq: number; unitCode: string }>;
}

export interface InboxTask {
  taskId: string;
  applicationId: string;
  caseNumber: string | null;
  itemId: string;
  itemName: string;
  nodeKey: string;
  assignee: string | null;
  candidate: { role: string; unit: string } | null;
  reason: string | null;
  createdAt: string;
  /** When the step's time limit runs out; null without one. */
  dueAt: string | null;
}

/** The handler's view: open tasks assigned to a person or offered to pools they belong to. */
export interface TaskInbox {
  list(options: {
    person: string;
    pools: Array<{ role: string; unit: string }>;
    limit: number;
    cursor?: string;
  }): Promise<Page<InboxTask>>;
  count(options: {
    person: string;
    pools: Array<{ role: string; unit: string }>;
  }): Promise<{ assigned: number; claimable: number }>;
}
