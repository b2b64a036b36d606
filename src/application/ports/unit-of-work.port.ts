import type { ApplicationRepository, CaseNumberCounter } from './application.repository.port.js';
import type { AuditLog } from './audit-log.port.js';
import type { AttachmentRepository } from './attachment-store.port.js';
import type { ConnectorCallQueue } from './business-connectors.port.js';
import type { Certifications, RoleAssignments, RoleFilings } from './role-assignments.port.js';
import type { PersonnelRecords } from './personnel.port.js';
import type { EvaluationRepository, FollowUpRepository } from './evaluation.repository.port.js';
import type { EvaluationExportFilings } from './evaluation-figures.port.js';
import type { Outbox } from './outbox.port.js';
import type { OutboxSinkAdmin } from './outbox-relay.port.js';
import type { JobReceipts, Notifier } from './notifier.port.js';
import type {
  ChangeRequestRepository,
  ServiceItemRepository,
  ServiceVersionRepository,
} from './service-item.repository.port.js';
import type { Organisation } from './organisation.port.js';
import type { Absences } from './absences.port.js';
import type { DrillReportStore } from './drill-reports.port.js';
import type { AuditArchiveStore } from './audit-archives.port.js';

/**
 * Everything a use case may change, and read while it changes something, bound to one database
 * transaction. While the transaction is open every read goes through here: a second connection per
 * request would starve the pool under load (the unit of work refuses one).
 */
export interface TransactionScope {
  /** Units, roles and people as this transaction sees them. */
  organisation: Organisation;
  /** Who is away when (time-boxed delegation). */
  absences: Absences;
  serviceItems: ServiceItemRepository;
  serviceVersions: ServiceVersionRepository;
  /** Change requests (变更申请) of service items. */
  changeRequests: ChangeRequestRepository;
  applications: ApplicationRepository;
  caseNumbers: CaseNumberCounter;
  evaluations: EvaluationRepository;
  followUps: FollowUpRepository;
  /** Filings (备案) of annual evaluation exports. */
  evaluationExports: EvaluationExportFilings;
  attachments: AttachmentRepository;
  /** Calls to business systems, made after commit. */
  connectorCalls: ConnectorCallQueue;
  roleAssignments: RoleAssignments;
  certifications: Certifications;
  /** Filings (备案) of role assignments by the units. */
  roleFilings: RoleFilings;
  personnel: PersonnelRecords;
  audit: AuditLog;
  outbox: Outbox;
  /** The outbox relay's bookkeeping per sink, as an operator changes it (retry parked events, replay). */
  outboxSinks: OutboxSinkAdmin;
  /** Emergency drill reports, stored with their audit entry. */
  drillReports: DrillReportStore;
  /** Months of the audit log archived, and their partitions dropped (`hall audit archive`). */
  auditArchives: AuditArchiveStore;
  /** Tells people (portal message, e-mail), in this transaction. */
  notifier: Notifier;
  /** Marks a worker's job done with this transaction's work. */
  jobs: JobReceipts;
  /** Runs after a successful commit (e.g. refresh a cache); never inside the transaction. */
  afterCommit(hook: () => void | Promise<void>): void;
}

export interface UnitOfWork {
  /**
   * Runs `work` in one transaction. It commits when `work` resolves with anything but a failed
   * Result, and rolls back when `work` throws or resolves with a failed Result: a refused
   * request changes nothing. Inside `work`, a query on the pool outside the transaction throws.
   */
  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T>;
}
