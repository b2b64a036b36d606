import { Application, type ApplicationProps } from '../../src/domain/application/application.entity.js';
import type { HistoryEntry } from '../../src/domain/application/application-state.js';
import { isLive, type Task } from '../../src/domain/application/task.js';
import { ConflictError, InputError } from '../../src/domain/shared/errors.js';
import type {
  ApplicationSummaries,
  ApplicationSummary,
  ItemApplicationFilters,
  ItemApplicationLine,
} from '../../src/application/ports/application-summaries.port.js';
import type {
  ApplicationRepository,
  CaseNumberCounter,
  InboxTask,
  TaskInbox,
} from '../../src/application/ports/application.repository.port.js';
import type { Page } from '../../src/application/ports/service-item.repository.port.js';
import type { HallState, InMemoryDatabase, StoredApplication } from './in-memory-database.js';
import { taskTimers, type InMemoryDueTimers } from './in-memory-jobs.js';
import { newestFirst } from './newest-first.js';

const badCursor = () =>
  new InputError('PAGINATION.BAD_CURSOR', 'The cursor is not valid', [
    { path: '/cursor', message: 'not a cursor issued by this API' },
  ]);
const concurrentChange = () =>
  new ConflictError(
    'APPLICATION.CONCURRENT_CHANGE',
    'the application was changed by someone else meanwhile; reload and try again',
  );

const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Index cursors: opaque enough for a fake, and a forged one is refused as the real ones are. */
const afterIndex = (cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  const n = Number(cursor);
  if (!Number.isSafeInteger(n) || n < 0) throw badCursor();
  return n;
};
function page<T>(all: T[], limit: number, cursor: string | undefined): Page<T> {
  const from = afterIndex(cursor);
  const items = all.slice(from, from + limit);
  return { items, nextCursor: from + limit < all.length ? String(from + limit) : null };
}

/** Tasks in the order the real load reads them: by creation, then position, then id. */
const byCreation = (a: Task, b: Task): number =>
  Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const restore = (s: StoredApplication): Application => {
  const props = structuredClone(s.props);
  return Application.restore({ ...props, tasks: props.tasks.sort(byCreation) }, structuredClone(s.definition));
};

/** The application's fields as its rows hold them: a task's optional members read back as null when never set. */
export function storedProps(p: Readonly<ApplicationProps>, lockVersion: number): ApplicationProps {
  const tasks = p.tasks.map((t): Task => ({
    ...t,
    addedBy: t.addedBy ?? null,
    beforeOf: t.beforeOf ?? null,
    delegatedBy: t.delegatedBy ?? null,
    dueAt: t.dueAt ?? null,
  }));
  return { ...structuredClone(p), tasks: structuredClone(tasks), lockVersion };
}

/**
 * Applications in memory with the rules of KnexApplicationRepository: every read rebuilds the
 * aggregate, `add` and `save` write what the aggregate recorded (its fields, tasks and new history
 * entries), `save` checks the optimistic lockVersion, the history is its own append-only table, and
 * the reminder timers of tasks that open or close are armed or disarmed with the write.
 */
export class InMemoryApplicationRepository implements ApplicationRepository {
  /** `timers`: the reminders of tasks that open or close, armed and disarmed with the save. */
  constructor(
    private readonly state: HallState,
    private readonly timers?: InMemoryDueTimers,
  ) {}

  async findById(id: string): Promise<Application | null> {
    const s = this.state.applications.get(id);
    return s ? restore(s) : null;
  }

  async findByTaskId(taskId: string): Promise<Application | null> {
    const s = [...this.state.applications.values()].find((x) => x.props.tasks.some((t) => t.id === taskId));
    return s ? restore(s) : null;
  }

  async withLiveTasksOf(personId: string): Promise<Application[]> {
    return [...this.state.applications.values()]
      .filter((s) => s.props.tasks.some((t) => isLive(t) && (t.assignee === personId || t.delegatedBy === personId)))
      .sort((a, b) => a.props.id.localeCompare(b.props.id))
      .map(restore);
  }

  async add(application: Application): Promise<void> {
    const p = application.current;
    if (this.state.applications.has(p.id))
      throw new ConflictError('PERSISTENCE.DUPLICATE', 'this record already exists');
    this.checkCaseNumber(p.id, p.caseNumber);
    this.state.applications.set(p.id, {
      props: storedProps(p, 1),
      definition: structuredClone(application.process),
      history: structuredClone(application.changes.recorded),
    });
    this.armTimers(application);
    application.markSaved(1);
  }

  async save(application: Application): Promise<void> {
    if (!application.changed) return;
    const p = application.current;
    const stored = this.state.applications.get(p.id);
    if (!stored || stored.props.lockVersion !== p.lockVersion) throw concurrentChange();
    this.checkCaseNumber(p.id, p.caseNumber);
    stored.props = storedProps(p, p.lockVersion + 1);
    stored.history.push(...structuredClone(application.changes.recorded));
    this.armTimers(application);
    application.markSaved(p.lockVersion + 1);
  }

  async history(o: {
    applicationId: string;
    forApplicant: boolean;
    limit: number;
    cursor?: string;
  }): Promise<Page<HistoryEntry>> {
    const after = afterIndex(o.cursor); // here the cursor is the last seq of the previous page
    const rows = this.rows(o.applicationId).filter((h) => h.seq > after && !(o.forApplicant && h.private));
    const items = rows.slice(0, o.limit);
    return { items, nextCursor: rows.length > o.limit ? String(items.at(-1)!.seq) : null };
  }

  async entries(applicationId: string, afterSeq = 0): Promise<HistoryEntry[]> {
    return this.rows(applicationId).filter((h) => h.seq > afterSeq);
  }

  async lastEntry(o: {
    applicationId: string;
    actor: string;
    action: HistoryEntry['action'];
  }): Promise<HistoryEntry | null> {
    return (
      this.rows(o.applicationId)
        .filter((h) => h.actor === o.actor && h.action === o.action)
        .at(-1) ?? null
    );
  }

  private armTimers(application: Application): void {
    const { start, stop } = taskTimers(application);
    this.timers?.apply(this.state, start, stop);
  }

  private rows(applicationId: string): HistoryEntry[] {
    return structuredClone(this.state.applications.get(applicationId)?.history ?? []).sort((a, b) => a.seq - b.seq);
  }

  private checkCaseNumber(id: string, caseNumber: string | null): void {
    if (
      caseNumber &&
      [...this.state.applications.values()].some((s) => s.props.id !== id && s.props.caseNumber === caseNumber)
    ) {
      throw new ConflictError('APPLICATION.CASE_NUMBER_TAKEN', 'the case number is already in use');
    }
  }
}

/** Case numbers per year and unit code (a unit without a code counts under its key), as KnexCaseNumberCounter. */
export class InMemoryCaseNumberCounter implements CaseNumberCounter {
  constructor(private readonly state: HallState) {}

  async next(o: { year: number; unit: string }): Promise<{ seq: number; unitCode: string }> {
    const unitCode = this.state.units.find((u) => u.key === o.unit)?.code ?? o.unit;
    const key = `${o.year}:${unitCode}`;
    const seq = (this.state.caseNumbers.get(key) ?? 0) + 1;
    this.state.caseNumbers.set(key, seq);
    return { seq, unitCode };
  }
}

/** The handler's inbox over the committed applications: open tasks assigned to the person or unclaimed in their pools. */
export class InMemoryTaskInbox implements TaskInbox {
  /** The pools each query was asked about: the use case works them out from the person's roles. */
  readonly askedPools: Array<Array<{ role: string; unit: string }>> = [];

  constructor(private readonly db: InMemoryDatabase) {}

  async list(o: {
    person: string;
    pools: Array<{ role: string; unit: string }>;
    limit: number;
    cursor?: string;
  }): Promise<Page<InboxTask>> {
    return page(
      this.tasks(o).map((x) => x.task),
      o.limit,
      o.cursor,
    );
  }

  async count(o: {
    person: string;
    pools: Array<{ role: string; unit: string }>;
  }): Promise<{ assigned: number; claimable: number }> {
    const tasks = this.tasks(o);
    return {
      assigned: tasks.filter((x) => x.task.assignee !== null).length,
      claimable: tasks.filter((x) => x.task.assignee === null).length,
    };
  }

  private tasks(o: { person: string; pools: Array<{ role: string; unit: string }> }): Array<{ task: InboxTask }> {
    this.askedPools.push(structuredClone(o.pools));
    return this.db.read('the task inbox', (s) =>
      [...s.applications.values()]
        .flatMap(({ props: a }) =>
          a.tasks
            .filter(
              (t) =>
                t.status === 'open' &&
                (t.assignee === o.person ||
                  (t.assignee === null &&
                    !!t.candidate &&
                    o.pools.some((p) => p.role === t.candidate!.role && p.unit === t.candidate!.unit))),
            )
            .map((t) => ({
              task: {
                taskId: t.id,
                applicationId: a.id,
                caseNumber: a.caseNumber,
                itemId: a.itemId,
                itemName: s.serviceItems.get(a.itemId)?.name ?? '',
                nodeKey: t.nodeKey,
                assignee: t.assignee,
                candidate: t.candidate,
                reason: t.reason,
                createdAt: t.createdAt,
                dueAt: t.dueAt ?? null,
              },
            })),
        )
        .sort((x, y) => x.task.createdAt.localeCompare(y.task.createdAt) || x.task.taskId.localeCompare(y.task.taskId)),
    );
  }
}

/** The applicant's list, newest first, over the committed applications. */
export class InMemoryApplicationSummaries implements ApplicationSummaries {
  constructor(private readonly db: InMemoryDatabase) {}

  async ofApplicant(o: { applicantId: string; limit: number; cursor?: string }): Promise<Page<ApplicationSummary>> {
    const all = this.db.read('application summaries', (s) =>
      [...s.applications.values()]
        .filter((x) => x.props.applicant.id === o.applicantId)
        .sort(
          (x, y) => y.props.createdAt.getTime() - x.props.createdAt.getTime() || y.props.id.localeCompare(x.props.id),
        )
        .map(({ props: a, definition }): ApplicationSummary => {
          const item = s.serviceItems.get(a.itemId);
          return {
            id: a.id,
            caseNumber: a.caseNumber,
            serviceItem: { id: a.itemId, code: item?.code ?? '', name: item?.name ?? '' },
            state: a.state,
            activeNode:
              a.activeNode === null
                ? null
                : { key: a.activeNode, name: definition.nodes.find((n) => n.key === a.activeNode)?.name ?? null },
            createdAt: a.createdAt.toISOString(),
            updatedAt: a.updatedAt.toISOString(),
          };
        }),
    );
    return page(all, o.limit, o.cursor);
  }

  /** As the real one: submitted ones only, newest submission first, the cursor bound to the filters. */
  async ofItem(o: ItemApplicationFilters & { limit: number; cursor?: string }): Promise<Page<ItemApplicationLine>> {
    const bound = JSON.stringify([
      o.itemId,
      o.caseNumber,
      o.applicant,
      o.state,
      o.node,
      o.submittedFrom?.toISOString(),
      o.submittedTo?.toISOString(),
    ]);
    const lines = this.db.read('item applications', (s) =>
      [...s.applications.values()]
        .filter(
          ({ props: a }) =>
            a.itemId === o.itemId &&
            a.submittedAt !== null &&
            (o.caseNumber === undefined || (a.caseNumber ?? '').startsWith(o.caseNumber)) &&
            (o.applicant === undefined || a.applicant.id === o.applicant) &&
            (o.state === undefined || a.state === o.state) &&
            (o.node === undefined || a.activeNode === o.node) &&
            (!o.submittedFrom || a.submittedAt!.getTime() >= o.submittedFrom.getTime()) &&
            (!o.submittedTo || a.submittedAt!.getTime() < o.submittedTo.getTime()),
        )
        .map(({ props: a, definition }): ItemApplicationLine => ({
          id: a.id,
          caseNumber: a.caseNumber,
          applicant: { id: a.applicant.id, name: s.people.get(a.applicant.id)?.name ?? null, unit: a.applicant.unit },
          state: a.state,
          activeNodes:
            a.activeNode === null
              ? []
              : [{ key: a.activeNode, name: definition.nodes.find((n) => n.key === a.activeNode)?.name ?? null }],
          submittedAt: a.submittedAt!.toISOString(),
          updatedAt: a.updatedAt.toISOString(),
          endedAt: a.endedAt?.toISOString() ?? null,
        })),
    );
    let cursor = o.cursor;
    if (cursor !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw badCursor();
      }
      const [key, filters] = Array.isArray(parsed) ? parsed : [];
      if (typeof key !== 'string' || filters !== bound) throw badCursor();
      cursor = encode({ k: key });
    }
    const p = newestFirst(lines, (l) => l.submittedAt, { limit: o.limit, cursor });
    const last = p.rows.at(-1);
    return {
      items: p.rows,
      nextCursor: p.nextCursor && last ? encode([`${last.submittedAt}|${last.id}`, bound]) : null,
    };
  }
}
