import type { Application } from '../../domain/application/application.entity.js';
import type { Page } from './service-item.repository.port.js';

export interface ApplicationRepository {
  /** forUpdate serialises actions on one application, so siblings in a countersign never clash. */
  findById(id: string, options?: { forUpdate?: boolean }): Promise<Application | null>;
  /** The application a task belongs to (locked with forUpdate). */
  findByTaskId(taskId: string, options?: { forUpdate?: boolean }): Promise<Application | null>;
  /** Applications where the person holds or delegated a live task, locked for a hand-over. */
  withLiveTasksOf(personId: string): Promise<Application[]>;
  add(application: Application): Promise<void>;
  /** Optimistic: throws a ConflictError when the application changed since it was loaded. */
  save(application: Application): Promise<void>;
  listByApplicant(options: { applicantId: string; limit: number; cursor?: string }): Promise<Page<Application>>;
}

/** Case numbers (办件编号): unique per year and unit, gaps tolerated (a rolled-back submit burns one). */
export interface CaseNumberCounter {
  next(options: { year: number; unitCode: string }): Promise<number>;
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
  list(options: { person: string; pools: Array<{ role: string; unit: string }>; limit: number; cursor?: string }): Promise<Page<InboxTask>>;
  count(options: { person: string; pools: Array<{ role: string; unit: string }> }): Promise<{ assigned: number; claimable: number }>;
}
export const TASK_INBOX = Symbol.for('core.taskInbox');
