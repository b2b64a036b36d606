import type { Knex } from 'knex';
import { isResult } from '../../../domain/shared/result.js';
import type { TransactionScope, UnitOfWork } from '../../../application/ports/unit-of-work.port.js';
import { KnexServiceItemRepository } from './knex-service-item.repository.js';
import { KnexChangeRequests } from './knex-change-requests.js';
import { KnexRoleFilings } from './knex-role-filings.js';
import { KnexServiceVersionRepository } from './knex-service-version.repository.js';
import { ChangeJournal } from './change-journal.js';
import { KnexCertifications } from './knex-certifications.js';
import { KnexPersonnelRecords } from './knex-personnel-records.js';
import { KnexRoleAssignments } from '../casbin/knex-role-assignments.js';
import { KnexEvaluationRepository, KnexFollowUpRepository } from './knex-evaluation.repositories.js';
import { KnexAttachmentRepository } from './knex-attachment.repository.js';
import { KnexEvaluationExportFilings } from './knex-evaluation-exports.js';
import { BossConnectorCalls } from '../pg-boss/boss-connector-calls.js';
import { KnexApplicationRepository } from './knex-application.repository.js';
import { KnexCaseNumberCounter } from './knex-case-number-counter.js';
import { KnexOrganisation } from './knex-organisation.js';
import { KnexAbsences } from './knex-absences.js';
import { BossJobReceipts, DueTimers, type ReminderPolicy } from '../pg-boss/due-timers.js';
import { KnexNotifier } from './knex-notifications.js';
import { StatementBatch } from './statement-batch.js';
import { ProcessDefinitionCache } from './process-definition-cache.js';
import { guardPool, inTransaction } from './pool-guard.js';
import { KnexOutboxSinkAdmin } from './pg-outbox-relay-store.js';
import { KnexDrillReports } from './knex-drill-reports.js';
import { KnexAuditArchives } from './knex-audit-archives.js';

/** Thrown inside the transaction to roll back a refused request while returning its Result. */
class Refused {
  constructor(readonly result: unknown) {}
}

export class KnexUnitOfWork implements UnitOfWork {
  private readonly definitions = new ProcessDefinitionCache();
  private readonly taskTimers: DueTimers;
  private readonly followUpTimers: DueTimers;

  /**
   * `email`: notifications are e-mailed too (a delivery job per notification). `sessionsEnded`: told,
   * after commit, the ids of the sessions the transaction ended (this instance's session cache
   * forgets them at once; the other instances hear the NOTIFY sent with the change).
   */
  constructor(
    private readonly knex: Knex,
    private readonly options: {
      reminders: ReminderPolicy;
      email: boolean;
      sessionsEnded?: (sessionIds: string[]) => void;
      /** Told, after commit, what the transaction's events were about (topics and units): the metrics. */
      committed?: (changes: Array<{ topic: string; unit: string | null }>) => void;
    } = { reminders: { beforeHours: 24, escalateAfterHours: 24, expireSeconds: 60 }, email: false },
  ) {
    guardPool(knex);
    this.taskTimers = new DueTimers(options.reminders);
    this.followUpTimers = new DueTimers(options.reminders, 'followUpId');
  }

  async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    const hooks: Array<() => void | Promise<void>> = [];
    let result: T;
    try {
      result = await this.knex.transaction(async (trx) => {
        const journal = new ChangeJournal();
        const batch = new StatementBatch(trx);
        const receipts = new BossJobReceipts(trx);
        const scope: TransactionScope = {
          organisation: new KnexOrganisation(trx),
          absences: new KnexAbsences(trx),
          serviceItems: new KnexServiceItemRepository(trx),
          changeRequests: new KnexChangeRequests(trx),
          serviceVersions: new KnexServiceVersionRepository(trx),
          applications: new KnexApplicationRepository(trx, batch, this.definitions, this.taskTimers),
          caseNumbers: new KnexCaseNumberCounter(trx),
          evaluations: new KnexEvaluationRepository(trx),
          followUps: new KnexFollowUpRepository(trx, this.followUpTimers),
          evaluationExports: new KnexEvaluationExportFilings(trx),
          attachments: new KnexAttachmentRepository(trx),
          connectorCalls: new BossConnectorCalls(batch),
          roleAssignments: new KnexRoleAssignments(trx),
          certifications: new KnexCertifications(trx),
          roleFilings: new KnexRoleFilings(trx),
          personnel: new KnexPersonnelRecords(trx, (ids) => {
            const told = this.options.sessionsEnded;
            if (told) hooks.push(() => told(ids));
          }),
          audit: journal.audit,
          outbox: journal.outbox,
          outboxSinks: new KnexOutboxSinkAdmin(trx),
          drillReports: new KnexDrillReports(trx),
          auditArchives: new KnexAuditArchives(trx),
          notifier: new KnexNotifier(
            trx,
            this.options.email ? { receipts, expireSeconds: this.options.reminders.expireSeconds } : null,
          ),
          jobs: receipts,
          afterCommit: (hook) => {
            hooks.push(hook);
          },
        };
        const out = await inTransaction(() => work(scope));
        if (isResult(out) && !out.ok) throw new Refused(out);
        const changes = journal.changes();
        const committed = this.options.committed;
        if (committed && changes.length) hooks.push(() => committed(changes));
        journal.flushInto(batch);
        await batch.flush();
        return out;
      });
    } catch (e) {
      if (e instanceof Refused) return e.result as T;
      throw e;
    }
    for (const hook of hooks) await hook();
    return result;
  }
}
