import type { DrillReport } from '../../src/domain/drill/drill-report.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EvaluationExportRecord } from '../../src/application/ports/evaluation-figures.port.js';
import type { ApplicationProps } from '../../src/domain/application/application.entity.js';
import type { HistoryEntry } from '../../src/domain/application/application-state.js';
import type { EvaluationProps } from '../../src/domain/evaluation/evaluation.entity.js';
import type { FollowUpProps } from '../../src/domain/evaluation/follow-up.entity.js';
import type { ProcessDefinition } from '../../src/domain/process-definition/process-definition.js';
import type { ServiceItemProps } from '../../src/domain/service-item/service-item.entity.js';
import type { ChangeRequestProps } from '../../src/domain/service-item/change-request.js';
import type { RoleFilingProps } from '../../src/domain/people/role-filing.js';
import type { ServiceVersionProps } from '../../src/domain/service-item/service-version.entity.js';
import type { Absence } from '../../src/application/ports/absences.port.js';
import type { AttachmentRecord } from '../../src/application/ports/attachment-store.port.js';
import type { AuditEntry } from '../../src/application/ports/audit-log.port.js';
import type { Notification } from '../../src/application/ports/notifier.port.js';
import type { Person, Role, Unit } from '../../src/application/ports/organisation.port.js';
import type { OutboxEvent } from '../../src/application/ports/outbox.port.js';
import type { RoleAssignment } from '../../src/application/ports/policy-enforcer.port.js';
import type { PrintoutRecord } from '../../src/application/ports/printout-store.port.js';
import type { CertificationRecord } from '../../src/application/ports/role-assignments.port.js';
import type { JobState } from '../../src/application/ports/job-admin.port.js';

/** An application as its rows hold it: the aggregate's fields, its definition, and its history table. */
export interface StoredApplication {
  props: ApplicationProps;
  definition: ProcessDefinition;
  history: HistoryEntry[];
}

export interface StoredNotification extends Notification {
  id: string;
  /** null when e-mail is off; 'pending' until the delivery job has run. */
  emailStatus: 'pending' | 'sent' | 'no-address' | null;
}

/** A row of pgboss.job, as far as the hall's ports touch it. */
export interface StoredJob {
  queue: string;
  id: string;
  data: Record<string, unknown>;
  state: JobState;
  startAfter: Date;
  /** Attempts after the first (a worker's fetch of a job that ran before counts one up). */
  retryCount: number;
  /** Whether a worker ever fetched it. */
  started: boolean;
  retryLimit: number;
  error: string | null;
}

export interface StoredSession {
  id: string;
  token: string;
  personId: string;
  provider: string;
  externalRef: string | null;
  ip?: string | null;
  client?: string | null;
  expiresAt: Date;
  endedAt: Date | null;
}

/**
 * Every table the hall keeps, as plain data (so a transaction can work on a structured clone of it
 * and commit by keeping the clone). Domain objects are rebuilt from these on every read, as the
 * real repositories rebuild them from rows: nothing a use case holds aliases the stored state.
 */
export interface HallState {
  units: Unit[];
  roles: Role[];
  people: Map<string, Person>;
  absences: Map<string, Absence>;
  sessions: StoredSession[];
  loginAttempts: Array<{ username: string; ip: string; success: boolean; at: Date }>;
  serviceItems: Map<string, ServiceItemProps>;
  serviceVersions: Map<string, ServiceVersionProps>;
  changeRequests: Map<string, ChangeRequestProps>;
  applications: Map<string, StoredApplication>;
  /** Last case number per `${year}:${unitCode}`. */
  caseNumbers: Map<string, number>;
  evaluations: Map<string, EvaluationProps>;
  followUps: Map<string, FollowUpProps>;
  evaluationExports: EvaluationExportRecord[];
  attachments: Map<string, AttachmentRecord>;
  /** pgboss.job: reminder timers, e-mail deliveries and calls to business systems. */
  jobs: StoredJob[];
  /** The `g` rows: who holds which role where. */
  /** With the filing each grant came from (none: granted without one, or seeded). */
  roleAssignments: Array<RoleAssignment & { filingId?: string | null }>;
  certifications: CertificationRecord[];
  roleFilings: Map<string, RoleFilingProps>;
  notifications: StoredNotification[];
  printouts: Map<string, PrintoutRecord>;
  audit: AuditEntry[];
  outbox: OutboxEvent[];
  /** Operators' changes to the outbox relay's sinks: parked events to send again, cursors moved back. */
  outboxSinkChanges: Array<
    { kind: 'retry'; sink: string | null; at: Date } | { kind: 'rewind'; sink: string; since: Date }
  >;
  drillReports: DrillReport[];
}

export function emptyState(): HallState {
  return {
    units: [],
    roles: [],
    people: new Map(),
    absences: new Map(),
    sessions: [],
    loginAttempts: [],
    serviceItems: new Map(),
    serviceVersions: new Map(),
    changeRequests: new Map(),
    applications: new Map(),
    caseNumbers: new Map(),
    evaluations: new Map(),
    followUps: new Map(),
    evaluationExports: [],
    attachments: new Map(),
    jobs: [],
    roleAssignments: [],
    certifications: [],
    roleFilings: new Map(),
    notifications: [],
    printouts: new Map(),
    audit: [],
    outbox: [],
    outboxSinkChanges: [],
    drillReports: [],
  };
}

/** What ports that are not part of a unit of work do when called inside one: the real pool refuses them (pool-guard.ts). */
export class SecondConnectionError extends Error {
  constructor(what: string) {
    super(`${what} asked for a second connection inside a unit of work: read through the transaction scope instead`);
    this.name = 'SecondConnectionError';
  }
}

/**
 * The hall's PostgreSQL, in memory. Transactions are serialised (a promise-chain lock, no timers),
 * each works on a clone of the committed state and either keeps it (commit) or drops it (rollback):
 * so a refused request leaves no trace, and two concurrent requests behave as if one ran after the
 * other, as the row locks of the real one make them.
 */
export class InMemoryDatabase {
  /** The committed state. Replaced on each commit: read it afresh after acting. */
  state: HallState = emptyState();
  private readonly inside = new AsyncLocalStorage<true>();
  private tail: Promise<void> = Promise.resolve();

  /** Runs `work` on a working copy; keeps the copy when `commit(out)` says so. Throws roll back. */
  async transaction<T>(work: (working: HallState) => Promise<T>, commit: (out: T) => boolean): Promise<T> {
    this.refuseInsideTransaction('a nested transaction');
    const release = await this.lock();
    try {
      const working = structuredClone(this.state);
      const out = await this.inside.run(true, () => work(working));
      if (commit(out)) this.state = working;
      return out;
    } finally {
      release();
    }
  }

  /** A write outside any unit of work (a store with transactions of its own, like KnexPrintoutStore). */
  autocommit<T>(write: (state: HallState) => T): Promise<T> {
    return this.transaction(
      async (s) => write(s),
      () => true,
    );
  }

  /** A read on the pool: refused inside a unit of work, as the pool guard refuses it. */
  read<T>(what: string, read: (state: HallState) => T): T {
    this.refuseInsideTransaction(what);
    return structuredClone(read(this.state));
  }

  refuseInsideTransaction(what: string): void {
    if (this.inside.getStore()) throw new SecondConnectionError(what);
  }

  /** A deep copy of the committed state, to compare before and after a refused request. */
  dump(): HallState {
    return structuredClone(this.state);
  }

  private lock(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => mine);
    return previous.then(() => release);
  }
}

export const notImplemented = (what: string): never => {
  throw new Error(`${what} is not implemented in the fake: implement it in test/fakes when a use case needs it`);
};
