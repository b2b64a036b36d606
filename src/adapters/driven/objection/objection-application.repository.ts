import type { Knex } from 'knex';
import { ConflictError } from '../../../domain/shared/errors.js';
import { Application, type ApplicationProps } from '../../../domain/application/application.entity.js';
import type { ApplicationState } from '../../../domain/application/application-state.js';
import type { Task } from '../../../domain/application/task.js';
import type { ProcessDefinition } from '../../../domain/process-definition/process-definition.js';
import type { ApplicationRepository, CaseNumberCounter } from '../../../application/ports/application.repository.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { translatePgError } from './pg-errors.js';
import type { DueTimers } from '../pg-boss/due-timers.js';

interface ApplicationRow {
  id: string; case_number: string | null; item_id: string; owning_unit: string; version_id: string; applicant_id: string;
  applicant: ApplicationProps['applicant']; form: Record<string, unknown>; state: string; active_node: string | null;
  activations: Record<string, number>; passed_nodes: string[]; history: ApplicationProps['history']; copied_to: string[];
  lock_version: number; created_at: Date; updated_at: Date; definition: ProcessDefinition;
}

interface TaskRow {
  id: string; application_id: string; node_key: string; activation: number; assignee: string | null;
  candidate_role: string | null; candidate_unit: string | null; status: Task['status']; outcome: Task['outcome'];
  order: number; reason: string | null; created_at: Date; acted_by: string | null; acted_at: Date | null;
  added_by: string | null; before_of: string | null; delegated_by: string | null; due_at: Date | null;
}

const toTask = (r: TaskRow): Task => ({
  id: r.id, nodeKey: r.node_key, activation: r.activation, assignee: r.assignee,
  candidate: r.candidate_role && r.candidate_unit ? { role: r.candidate_role, unit: r.candidate_unit } : null,
  status: r.status, outcome: r.outcome, order: r.order, reason: r.reason, createdAt: r.created_at.toISOString(),
  addedBy: r.added_by, beforeOf: r.before_of, delegatedBy: r.delegated_by,
  actedBy: r.acted_by, actedAt: r.acted_at ? r.acted_at.toISOString() : null, dueAt: r.due_at ? r.due_at.toISOString() : null,
});

const taskRow = (applicationId: string, t: Task): TaskRow => ({
  id: t.id, application_id: applicationId, node_key: t.nodeKey, activation: t.activation, assignee: t.assignee,
  candidate_role: t.candidate?.role ?? null, candidate_unit: t.candidate?.unit ?? null, status: t.status,
  outcome: t.outcome, order: t.order, reason: t.reason, created_at: new Date(t.createdAt), acted_by: t.actedBy,
  acted_at: t.actedAt ? new Date(t.actedAt) : null, added_by: t.addedBy ?? null, before_of: t.beforeOf ?? null,
  delegated_by: t.delegatedBy ?? null, due_at: t.dueAt ? new Date(t.dueAt) : null,
});

function row(p: ApplicationProps) {
  return {
    id: p.id, case_number: p.caseNumber, item_id: p.itemId, owning_unit: p.owningUnit, version_id: p.versionId, applicant_id: p.applicant.id,
    applicant: JSON.stringify(p.applicant), form: JSON.stringify(p.form), state: p.state, active_node: p.activeNode,
    activations: JSON.stringify(p.activations), passed_nodes: JSON.stringify(p.passedNodes), history: JSON.stringify(p.history), copied_to: JSON.stringify(p.copiedTo),
    created_at: p.createdAt, updated_at: p.updatedAt,
  };
}

const SELECT = ['a.*', 'v.definition'];

export class ObjectionApplicationRepository implements ApplicationRepository {
  /** Tasks as last read or written in this transaction, so a save writes only the ones that changed. */
  private readonly known = new Map<string, string>();

  /** `timers`: arm and disarm the reminder jobs of tasks that open and close (in the same transaction). */
  constructor(private readonly db: Knex | Knex.Transaction, private readonly timers?: DueTimers) {}

  private async hydrate(rows: ApplicationRow[]): Promise<Application[]> {
    if (!rows.length) return [];
    const tasks = await this.db<TaskRow>('tasks').whereIn('application_id', rows.map((r) => r.id)).orderBy([{ column: 'created_at' }, { column: 'order' }]);
    for (const t of tasks) this.known.set(t.id, JSON.stringify(taskRow(t.application_id, toTask(t))));
    return rows.map((r) => Application.restore({
      id: r.id, caseNumber: r.case_number, itemId: r.item_id, owningUnit: r.owning_unit, versionId: r.version_id, applicant: r.applicant, form: r.form,
      state: r.state as ApplicationState, activeNode: r.active_node, activations: r.activations, passedNodes: r.passed_nodes,
      tasks: tasks.filter((t) => t.application_id === r.id).map(toTask), history: r.history, copiedTo: r.copied_to,
      lockVersion: r.lock_version, createdAt: r.created_at, updatedAt: r.updated_at,
    }, r.definition));
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<Application | null> {
    const q = this.db('applications as a').join('service_versions as v', 'v.id', 'a.version_id').where('a.id', id).select(SELECT);
    const rows = (options.forUpdate ? await q.forUpdate('a') : await q) as ApplicationRow[];
    return (await this.hydrate(rows))[0] ?? null;
  }

  async findByTaskId(taskId: string, options: { forUpdate?: boolean } = {}): Promise<Application | null> {
    const q = this.db('applications as a').join('service_versions as v', 'v.id', 'a.version_id')
      .whereIn('a.id', this.db('tasks').where({ id: taskId }).select('application_id')).select(SELECT);
    const rows = (options.forUpdate ? await q.forUpdate('a') : await q) as ApplicationRow[];
    return (await this.hydrate(rows))[0] ?? null;
  }

  async withLiveTasksOf(personId: string): Promise<Application[]> {
    const ids = this.db('tasks').whereIn('status', ['open', 'waiting']).where((w) => w.where('assignee', personId).orWhere('delegated_by', personId)).select('application_id');
    const rows = await this.db('applications as a').join('service_versions as v', 'v.id', 'a.version_id')
      .whereIn('a.id', ids).orderBy('a.id').select(SELECT).forUpdate('a') as ApplicationRow[];
    return this.hydrate(rows);
  }

  async add(application: Application): Promise<void> {
    const p = application.snapshot();
    try {
      await this.db('applications').insert({ ...row(p), lock_version: 1 });
    } catch (e) {
      translatePgError(e, { applications_case_number_unique: { code: 'APPLICATION.CASE_NUMBER_TAKEN', message: 'the case number is already in use' } });
    }
    await this.writeTasks(p);
    application.markSaved(1);
  }

  async save(application: Application): Promise<void> {
    const p = application.snapshot();
    const updated = await this.db('applications').where({ id: p.id, lock_version: p.lockVersion })
      .update({ ...row(p), lock_version: p.lockVersion + 1 });
    if (updated !== 1) throw new ConflictError('APPLICATION.CONCURRENT_CHANGE', 'the application was changed by someone else meanwhile; reload and try again');
    await this.writeTasks(p);
    application.markSaved(p.lockVersion + 1);
  }

  /** New and changed tasks are upserted in one statement; unchanged ones are not written. */
  private async writeTasks(p: ApplicationProps): Promise<void> {
    const rows = p.tasks.map((t) => taskRow(p.id, t)).filter((r) => this.known.get(r.id) !== JSON.stringify(r));
    if (!rows.length) return;
    await this.db('tasks').insert(rows).onConflict('id').merge();
    if (this.timers) await this.retime(rows);
    for (const r of rows) this.known.set(r.id, JSON.stringify(r));
  }

  /** A task that opens with a due time gets its reminders; one that closes (or moves its due time) loses them. */
  private async retime(rows: TaskRow[]): Promise<void> {
    const timed = (r: { status: string; due_at: Date | string | null } | undefined): Date | null => (r?.status === 'open' && r.due_at ? new Date(r.due_at) : null);
    const arm: Array<{ id: string; dueAt: Date; openedAt: Date; reopened: boolean }> = [];
    const disarm: Array<{ id: string; dueAt: Date }> = [];
    for (const r of rows) {
      const known = this.known.get(r.id);
      const before = timed(known ? JSON.parse(known) as TaskRow : undefined);
      const after = timed(r);
      if (before?.getTime() === after?.getTime()) continue;
      if (before) disarm.push({ id: r.id, dueAt: before });
      if (after) arm.push({ id: r.id, dueAt: after, openedAt: r.created_at, reopened: known !== undefined });
    }
    await this.timers!.disarm(disarm);
    await this.timers!.arm(arm);
  }

  async listByApplicant(o: { applicantId: string; limit: number; cursor?: string }): Promise<Page<Application>> {
    const q = this.db('applications as a').join('service_versions as v', 'v.id', 'a.version_id').where('a.applicant_id', o.applicantId)
      .orderBy('a.id').limit(o.limit + 1).select(SELECT);
    if (o.cursor) q.where('a.id', '>', decodeCursor(o.cursor));
    const rows = await q as ApplicationRow[];
    const page = rows.slice(0, o.limit);
    return { items: await this.hydrate(page), nextCursor: rows.length > o.limit ? encodeCursor(page[page.length - 1]!.id) : null };
  }
}

export class KnexCaseNumberCounter implements CaseNumberCounter {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async next(o: { year: number; unitCode: string }): Promise<number> {
    const r = await this.db.raw<{ rows: Array<{ last: number }> }>(
      `INSERT INTO case_number_counters (year, unit_code, last) VALUES (?, ?, 1)
       ON CONFLICT (year, unit_code) DO UPDATE SET last = case_number_counters.last + 1 RETURNING last`, [o.year, o.unitCode]);
    return r.rows[0]!.last;
  }
}
