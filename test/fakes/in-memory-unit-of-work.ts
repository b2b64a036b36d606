import { isResult } from '../../src/domain/shared/result.js';
import type { TransactionScope, UnitOfWork } from '../../src/application/ports/unit-of-work.port.js';
import type { AuditArchiveStore } from '../../src/application/ports/audit-archives.port.js';
import { InMemoryApplicationRepository, InMemoryCaseNumberCounter } from './in-memory-application.repository.js';
import { InMemoryAttachmentRepository } from './in-memory-attachments.js';
import { InMemoryAuditLog, InMemoryOutbox, InMemoryOutboxSinkAdmin } from './in-memory-audit-and-outbox.js';
import { InMemoryDrillReports } from './in-memory-drill-reports.js';
import { InMemoryChangeRequests } from './in-memory-change-requests.js';
import { InMemoryRoleFilings } from './in-memory-role-filings.js';
import { InMemoryConnectorCallQueue } from './in-memory-connector-queue.js';
import type { HallState, InMemoryDatabase } from './in-memory-database.js';
import { InMemoryEvaluationRepository, InMemoryFollowUpRepository } from './in-memory-evaluation.repositories.js';
import { DEFAULT_REMINDERS, InMemoryDueTimers, InMemoryJobReceipts, type ReminderPolicy } from './in-memory-jobs.js';
import { InMemoryNotifier } from './in-memory-notifier.js';
import {
  InMemoryAbsences,
  InMemoryCertifications,
  InMemoryOrganisation,
  InMemoryPersonnelRecords,
  InMemoryRoleAssignments,
} from './in-memory-organisation.js';
import {
  InMemoryServiceItemRepository,
  InMemoryServiceVersionRepository,
} from './in-memory-service-item.repository.js';

/** Every repository of a transaction, over its working copy of the state. */
export function scopeOver(
  working: HallState,
  o: { email: boolean; reminders: ReminderPolicy; afterCommit: (hook: () => void | Promise<void>) => void },
): TransactionScope {
  return {
    organisation: new InMemoryOrganisation(() => working),
    absences: new InMemoryAbsences(working),
    serviceItems: new InMemoryServiceItemRepository(working),
    serviceVersions: new InMemoryServiceVersionRepository(working),
    changeRequests: new InMemoryChangeRequests(working),
    applications: new InMemoryApplicationRepository(working, new InMemoryDueTimers(o.reminders)),
    caseNumbers: new InMemoryCaseNumberCounter(working),
    evaluations: new InMemoryEvaluationRepository(working),
    followUps: new InMemoryFollowUpRepository(working, new InMemoryDueTimers(o.reminders, 'followUpId')),
    evaluationExports: { add: async (r) => void working.evaluationExports.push(r) },
    attachments: new InMemoryAttachmentRepository(working),
    connectorCalls: new InMemoryConnectorCallQueue(working),
    roleAssignments: new InMemoryRoleAssignments(working),
    certifications: new InMemoryCertifications(working),
    roleFilings: new InMemoryRoleFilings(working),
    personnel: new InMemoryPersonnelRecords(working),
    audit: new InMemoryAuditLog(working),
    outbox: new InMemoryOutbox(working),
    outboxSinks: new InMemoryOutboxSinkAdmin(working),
    drillReports: new InMemoryDrillReports(() => working),
    // months are archived (partitions dropped) only on PostgreSQL: its tests use the real database
    auditArchives: new Proxy({} as AuditArchiveStore, {
      get: () => () => Promise.reject(new Error('the audit log is archived only on PostgreSQL')),
    }),
    notifier: new InMemoryNotifier(working, o.email),
    jobs: new InMemoryJobReceipts(working),
    afterCommit: o.afterCommit,
  };
}

/**
 * The UnitOfWork contract as KnexUnitOfWork keeps it: one transaction per run over every
 * repository; it commits when `work` resolves with anything but a failed Result, rolls back (keeps
 * nothing) when `work` throws or resolves with a failed Result, and runs the after-commit hooks
 * only after a commit. A run inside a run, or a pool-side port used inside one, throws, as the
 * real pool refuses a second connection.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  /** How runs ended: a test can see that a refusal was rolled back, not merely that it wrote nothing. */
  readonly outcomes: Array<'committed' | 'rolled back'> = [];

  /** `reminders`: how the timers of tasks and follow-ups are armed (the configuration's defaults unless told). */
  constructor(
    private readonly db: InMemoryDatabase,
    private readonly options: { email: boolean; reminders?: ReminderPolicy } = { email: false },
  ) {}

  async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    const hooks: Array<() => void | Promise<void>> = [];
    let committed = false;
    try {
      const out = await this.db.transaction(
        (working) =>
          work(
            scopeOver(working, {
              email: this.options.email,
              reminders: this.options.reminders ?? DEFAULT_REMINDERS,
              afterCommit: (hook) => {
                hooks.push(hook);
              },
            }),
          ),
        (result) => (committed = !(isResult(result) && !result.ok)),
      );
      this.outcomes.push(committed ? 'committed' : 'rolled back');
      if (committed) for (const hook of hooks) await hook();
      return out;
    } catch (e) {
      if (!committed) this.outcomes.push('rolled back');
      throw e;
    }
  }
}
