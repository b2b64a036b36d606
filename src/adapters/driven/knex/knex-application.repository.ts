import type { Knex } from 'knex';
import { ConflictError } from '../../../domain/shared/errors.js';
import { Application, type ApplicationProps } from '../../../domain/application/application.entity.js';
import type { ApplicationField } from '../../../domain/application/application-record.js';
import type { ApplicationState, HistoryEntry } from '../../../domain/application/application-state.js';
import type { Task } from '../../../domain/application/task.js';
import type { ApplicationRepository } from '../../../application/ports/application.repository.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { decodeSeqCursor, encodeCursor } from './cursor.js';
import type { BatchPart, StatementBatch } from './statement-batch.js';
import type { ProcessDefinitionCache } from './process-definition-cache.js';
import type { DueTimers, TimerStart, TimerStop } from '../pg-boss/due-timers.js';
import { prepared } from './prepared.js';
import {
  historyEntry,
  type HistoryRow,
  HISTORY_COLUMNS,
  INSERT_COPIES,
  INSERT_HISTORY,
  INSERT_TASKS,
  toTask,
  type TaskJson,
} from './application-rows.js';

interface ApplicationRow {
  id: string;
  case_number: string | null;
  item_id: string;
  owning_unit: string;
  version_id: string;
  applicant: ApplicationProps['applicant'];
  form: Record<string, unknown>;
  state: string;
  active_node: string | null;
  active_nodes: string[];
  waiting_joins: string[];
  activations: Record<string, number>;
  passed_nodes: string[];
  copied_to: string[];
  last_seq: number;
  lock_version: number;
  seen_version: number;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  ended_at: Date | null;
  tasks: TaskJson[];
}

/**
 * One statement loads an application with its tasks. When it locks (FOR UPDATE) and had to wait for
 * another transaction, PostgreSQL hands back the row as that one committed it, but the task list was
 * read from the statement's snapshot, taken before the wait: `seen_version` (also from the snapshot)
 * then differs from `lock_version`, and the tasks are read again.
 */
const LOAD = `SELECT a.id, a.case_number, a.item_id, a.owning_unit, a.version_id, a.applicant, a.form, a.state, a.active_node,
    a.active_nodes, a.waiting_joins, a.activations, a.passed_nodes, a.copied_to, a.last_seq, a.lock_version, a.created_at, a.updated_at,
    a.submitted_at, a.ended_at,
    (SELECT x.lock_version FROM applications x WHERE x.id = a.id) AS seen_version,
    (SELECT coalesce(json_agg(t ORDER BY t.created_at, t."order", t.id), '[]') FROM tasks t WHERE t.application_id = a.id) AS tasks
  FROM applications a`;
const TASKS_OF = `SELECT coalesce(json_agg(t ORDER BY t.created_at, t."order", t.id), '[]') AS tasks FROM tasks t WHERE t.application_id = ?`;

/** The application's columns per field a change may set; the others never change after creation. */
const COLUMNS: Partial<
  Record<ApplicationField, { column: string; value: (p: ApplicationProps) => unknown; json?: true }>
> = {
  caseNumber: { column: 'case_number', value: (p) => p.caseNumber },
  versionId: { column: 'version_id', value: (p) => p.versionId },
  form: { column: 'form', value: (p) => JSON.stringify(p.form), json: true },
  state: { column: 'state', value: (p) => p.state },
  activeNode: { column: 'active_node', value: (p) => p.activeNode },
  activeNodes: { column: 'active_nodes', value: (p) => JSON.stringify(p.activeNodes), json: true },
  waitingJoins: { column: 'waiting_joins', value: (p) => JSON.stringify(p.waitingJoins), json: true },
  activations: { column: 'activations', value: (p) => JSON.stringify(p.activations), json: true },
  passedNodes: { column: 'passed_nodes', value: (p) => JSON.stringify(p.passedNodes), json: true },
  copiedTo: { column: 'copied_to', value: (p) => JSON.stringify(p.copiedTo), json: true },
  lastSeq: { column: 'last_seq', value: (p) => p.lastSeq },
  updatedAt: { column: 'updated_at', value: (p) => p.updatedAt },
  submittedAt: { column: 'submitted_at', value: (p) => p.submittedAt },
  endedAt: { column: 'ended_at', value: (p) => p.endedAt },
};

const CONCURRENT_CHANGE = {
  code: 'APPLICATION.CONCURRENT_CHANGE',
  message: 'the application was changed by someone else meanwhile; reload and try again',
};
const concurrentChange = () => new ConflictError(CONCURRENT_CHANGE.code, CONCURRENT_CHANGE.message);

/**
 * Applications with their tasks and history. Writes go into the transaction's statement batch:
 * the application's changed columns, its new history entries, its new and changed tasks and their
 * reminder timers — exactly what the aggregate recorded as changed, nothing rewritten.
 */
export class KnexApplicationRepository implements ApplicationRepository {
  /** Applications with writes waiting in the batch: a second save of one flushes the first. */
  private readonly queued = new Set<string>();

  constructor(
    private readonly db: Knex.Transaction,
    private readonly batch: StatementBatch,
    private readonly definitions: ProcessDefinitionCache,
    private readonly timers: DueTimers,
  ) {}

  /** Reads see this transaction's writes. */
  private async settle(): Promise<void> {
    if (this.batch.pending) await this.batch.flush();
    this.queued.clear();
  }

  private async load(where: string, bindings: unknown[], forUpdate: boolean): Promise<Application[]> {
    await this.settle();
    const rows = (
      (await prepared(this.db, `${LOAD} ${where}${forUpdate ? ' FOR UPDATE OF a' : ''}`, bindings)) as {
        rows: ApplicationRow[];
      }
    ).rows;
    if (!rows.length) return [];
    for (const r of rows) {
      if (r.seen_version !== r.lock_version)
        r.tasks = ((await this.db.raw(TASKS_OF, [r.id])) as { rows: Array<{ tasks: TaskJson[] }> }).rows[0]!.tasks;
    }
    const definitions = await this.definitions.get(
      this.db,
      rows.map((r) => r.version_id),
    );
    return rows.map((r) =>
      Application.restore(
        {
          id: r.id,
          caseNumber: r.case_number,
          itemId: r.item_id,
          owningUnit: r.owning_unit,
          versionId: r.version_id,
          applicant: r.applicant,
          form: r.form,
          state: r.state as ApplicationState,
          activeNode: r.active_node,
          activeNodes: r.active_nodes,
          waitingJoins: r.waiting_joins,
          activations: r.activations,
          passedNodes: r.passed_nodes,
          tasks: r.tasks.map(toTask),
          copiedTo: r.copied_to,
          lastSeq: r.last_seq,
          lockVersion: r.lock_version,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
          submittedAt: r.submitted_at,
          endedAt: r.ended_at,
        },
        definitions.get(r.version_id)!,
      ),
    );
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<Application | null> {
    return (await this.load('WHERE a.id = ?', [id], options.forUpdate ?? false))[0] ?? null;
  }

  async findByTaskId(taskId: string, options: { forUpdate?: boolean } = {}): Promise<Application | null> {
    return (
      (
        await this.load(
          'WHERE a.id = (SELECT application_id FROM tasks WHERE id = ?)',
          [taskId],
          options.forUpdate ?? false,
        )
      )[0] ?? null
    );
  }

  async withLiveTasksOf(personId: string): Promise<Application[]> {
    return this.load(
      `WHERE a.id IN (SELECT application_id FROM tasks WHERE status IN ('open', 'waiting') AND (assignee = ? OR delegated_by = ?)) ORDER BY a.id`,
      [personId, personId],
      true,
    );
  }

  async add(application: Application): Promise<void> {
    const p = application.current;
    await this.before(p.id);
    this.batch.add({
      sql: `INSERT INTO applications (id, case_number, item_id, owning_unit, version_id, applicant_id, applicant, form, state, active_node,
          active_nodes, waiting_joins, activations, passed_nodes, copied_to, last_seq, lock_version, created_at, updated_at, submitted_at, ended_at)
        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, 1, ?, ?, ?, ?)`,
      bindings: [
        p.id,
        p.caseNumber,
        p.itemId,
        p.owningUnit,
        p.versionId,
        p.applicant.id,
        JSON.stringify(p.applicant),
        JSON.stringify(p.form),
        p.state,
        p.activeNode,
        JSON.stringify(p.activeNodes),
        JSON.stringify(p.waitingJoins),
        JSON.stringify(p.activations),
        JSON.stringify(p.passedNodes),
        JSON.stringify(p.copiedTo),
        p.lastSeq,
        p.createdAt,
        p.updatedAt,
        p.submittedAt,
        p.endedAt,
      ],
      constraints: {
        applications_case_number_unique: {
          code: 'APPLICATION.CASE_NUMBER_TAKEN',
          message: 'the case number is already in use',
        },
      },
    });
    this.writeChildren(application);
    this.definitions.remember(p.versionId, application.process);
    application.markSaved(1);
  }

  async save(application: Application): Promise<void> {
    if (!application.changed) return;
    const p = application.current;
    await this.before(p.id);
    const set: string[] = [];
    const bindings: unknown[] = [];
    for (const field of application.changes.fields) {
      const c = COLUMNS[field];
      if (!c) throw new Error(`application field '${field}' does not change after creation`);
      set.push(c.json ? `${c.column} = ?::jsonb` : `${c.column} = ?`);
      bindings.push(c.value(p));
    }
    this.batch.add({
      sql: `UPDATE applications SET ${[...set, 'lock_version = lock_version + 1'].join(', ')} WHERE id = ? AND lock_version = ? RETURNING 1`,
      bindings: [...bindings, p.id, p.lockVersion],
      expect: { rows: 1, error: concurrentChange },
      constraints: {
        applications_case_number_unique: {
          code: 'APPLICATION.CASE_NUMBER_TAKEN',
          message: 'the case number is already in use',
        },
      },
    });
    // a change made meanwhile recorded history too: the entries of a stale copy take seqs already used
    this.writeChildren(application, { application_history_pkey: CONCURRENT_CHANGE });
    application.markSaved(p.lockVersion + 1);
  }

  private async before(id: string): Promise<void> {
    if (this.queued.has(id)) await this.settle();
    this.queued.add(id);
  }

  /** New history entries, new and changed tasks, and the timers of tasks that open or close. */
  private writeChildren(application: Application, historyConstraints?: BatchPart['constraints']): void {
    const p = application.current;
    const { recorded, tasks: touched } = application.changes;
    if (recorded.length)
      this.batch.add({
        sql: INSERT_HISTORY,
        bindings: [p.id, JSON.stringify(recorded)],
        ...(historyConstraints ? { constraints: historyConstraints } : {}),
      });
    const copies = recorded.filter((e) => e.action === 'copied');
    if (copies.length) this.batch.add({ sql: INSERT_COPIES, bindings: [p.id, JSON.stringify(copies)] });
    if (!touched.size) return;
    const changed = p.tasks.filter((t) => touched.has(t.id));
    this.batch.add({ sql: INSERT_TASKS, bindings: [p.id, p.owningUnit, JSON.stringify(changed)] });
    const start: TimerStart[] = [];
    const stop: TimerStop[] = [];
    const timed = (t: { status: Task['status']; dueAt?: string | null } | null | undefined) =>
      t?.status === 'open' && t.dueAt ? t.dueAt : null;
    for (const t of changed) {
      const was = touched.get(t.id);
      const before = timed(was);
      const after = timed(t);
      if (before === after || (before && after && Date.parse(before) === Date.parse(after))) continue;
      if (before) stop.push({ id: t.id, dueAt: new Date(before) });
      if (after)
        start.push({ id: t.id, dueAt: new Date(after), openedAt: new Date(t.createdAt), reopened: was !== null });
    }
    this.batch.add(...this.timers.parts(start, stop));
  }

  async history(o: {
    applicationId: string;
    forApplicant: boolean;
    limit: number;
    cursor?: string;
  }): Promise<Page<HistoryEntry>> {
    await this.settle();
    let after = 0;
    if (o.cursor) after = Number(decodeSeqCursor(o.cursor));
    const rows = (
      (await this.db.raw(
        `SELECT ${HISTORY_COLUMNS} FROM application_history WHERE application_id = ? AND seq > ?${o.forApplicant ? ' AND NOT private' : ''}
      ORDER BY seq LIMIT ?`,
        [o.applicationId, after, o.limit + 1],
      )) as { rows: HistoryRow[] }
    ).rows;
    const page = rows.slice(0, o.limit);
    return {
      items: page.map(historyEntry),
      nextCursor: rows.length > o.limit ? encodeCursor(String(page[page.length - 1]!.seq)) : null,
    };
  }

  async entries(applicationId: string, afterSeq = 0): Promise<HistoryEntry[]> {
    await this.settle();
    const rows = (
      (await this.db.raw(
        `SELECT ${HISTORY_COLUMNS} FROM application_history WHERE application_id = ? AND seq > ? ORDER BY seq`,
        [applicationId, afterSeq],
      )) as { rows: HistoryRow[] }
    ).rows;
    return rows.map(historyEntry);
  }

  async lastEntry(o: {
    applicationId: string;
    actor: string;
    action: HistoryEntry['action'];
  }): Promise<HistoryEntry | null> {
    await this.settle();
    const rows = (
      (await this.db.raw(
        `SELECT ${HISTORY_COLUMNS} FROM application_history WHERE application_id = ? AND actor = ? AND action = ? ORDER BY seq DESC LIMIT 1`,
        [o.applicationId, o.actor, o.action],
      )) as { rows: HistoryRow[] }
    ).rows;
    return rows[0] ? historyEntry(rows[0]) : null;
  }
}
