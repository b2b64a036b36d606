import type { HistoryEntry } from '../../src/domain/application/application-state.js';
import type {
  CopiedApplication,
  DoneOutcome,
  DoneTask,
  HandlerLists,
  ListFilter,
} from '../../src/application/ports/handler-lists.port.js';
import type { Page } from '../../src/application/ports/service-item.repository.port.js';
import type { HallState, InMemoryDatabase, StoredApplication } from './in-memory-database.js';
import { newestFirst } from './newest-first.js';

const DONE_ACTIONS: ReadonlyArray<HistoryEntry['action']> = [
  'approved',
  'rejected',
  'returned',
  'transferred',
  'delegated',
  'delegation-resolved',
  'signer-opinion',
];

const outcomeOf = (e: HistoryEntry): DoneOutcome =>
  (e.action === 'signer-opinion' ? e.detail?.outcome : e.action) as DoneOutcome;

const inRange = (f: ListFilter, at: string) =>
  (f.from === undefined || Date.parse(at) >= f.from.getTime()) &&
  (f.to === undefined || Date.parse(at) < f.to.getTime());

const ofApplication = (f: ListFilter, s: StoredApplication) =>
  (f.itemId === undefined || s.props.itemId === f.itemId) &&
  (f.caseNumber === undefined || s.props.caseNumber === f.caseNumber);

const itemOf = (state: HallState, itemId: string) => {
  const item = state.serviceItems.get(itemId);
  return { id: itemId, code: item?.code ?? '', name: item?.name ?? '' };
};

/** The person's last done action on each task: what the done list shows and counts. */
function lastDone(s: StoredApplication, person: string): HistoryEntry[] {
  const last = new Map<string, HistoryEntry>();
  for (const e of [...s.history].sort((a, b) => a.seq - b.seq))
    if (e.actor === person && e.taskId && DONE_ACTIONS.includes(e.action)) last.set(e.taskId, e);
  return [...last.values()];
}

/** Who each person was first copied to the application by, and when, from its 'copied' entries. */
function copiesOf(s: StoredApplication): Map<string, { at: string; by: string }> {
  const first = new Map<string, { at: string; by: string }>();
  for (const e of [...s.history].sort((a, b) => a.seq - b.seq)) {
    if (e.action !== 'copied' || !Array.isArray(e.detail?.to)) continue;
    for (const p of e.detail.to as string[]) if (!first.has(p)) first.set(p, { at: e.at, by: e.actor });
  }
  return first;
}

/** 已办, 抄送我的 and the counts over the committed applications and their history, as KnexHandlerLists reads them. */
export class InMemoryHandlerLists implements HandlerLists {
  constructor(private readonly db: InMemoryDatabase) {}

  async done(o: {
    person: string;
    filter: ListFilter & { outcome?: DoneOutcome };
    limit: number;
    cursor?: string;
  }): Promise<Page<DoneTask>> {
    const rows = this.db.read('the done list', (state) =>
      [...state.applications.values()]
        .filter((s) => ofApplication(o.filter, s))
        .flatMap((s) =>
          lastDone(s, o.person)
            .filter((e) => inRange(o.filter, e.at) && (!o.filter.outcome || outcomeOf(e) === o.filter.outcome))
            .map((e): DoneTask & { id: string } => ({
              id: e.taskId!,
              taskId: e.taskId!,
              node: { key: e.node!, name: s.definition.nodes.find((n) => n.key === e.node)?.name ?? null },
              outcome: outcomeOf(e),
              actedAt: e.at,
              applicationId: s.props.id,
              caseNumber: s.props.caseNumber,
              serviceItem: itemOf(state, s.props.itemId),
              state: s.props.state,
            })),
        ),
    );
    const page = newestFirst(rows, (r) => r.actedAt, o);
    return { items: page.rows.map(({ id: _id, ...line }) => line), nextCursor: page.nextCursor };
  }

  async copied(o: {
    person: string;
    filter: ListFilter & { state?: CopiedApplication['state'] };
    limit: number;
    cursor?: string;
  }): Promise<Page<CopiedApplication>> {
    const rows = this.db.read('the copied list', (state) =>
      [...state.applications.values()].flatMap((s) => {
        const copy = copiesOf(s).get(o.person);
        if (!copy || !ofApplication(o.filter, s) || !inRange(o.filter, copy.at)) return [];
        if (o.filter.state !== undefined && s.props.state !== o.filter.state) return [];
        return [
          {
            id: s.props.id,
            applicationId: s.props.id,
            caseNumber: s.props.caseNumber,
            serviceItem: itemOf(state, s.props.itemId),
            state: s.props.state,
            applicantId: s.props.applicant.id,
            copiedAt: copy.at,
            copiedBy: copy.by,
          },
        ];
      }),
    );
    const page = newestFirst(rows, (r) => r.copiedAt, o);
    return { items: page.rows.map(({ id: _id, ...line }) => line), nextCursor: page.nextCursor };
  }

  async counts(o: {
    person: string;
    pools: Array<{ role: string; unit: string }>;
    now: Date;
  }): Promise<{ done: number; copied: number; overdue: number }> {
    return this.db.read('the handler counts', (state) => {
      const apps = [...state.applications.values()];
      const mine = (t: StoredApplication['props']['tasks'][number]) =>
        t.assignee === o.person ||
        (t.assignee === null &&
          !!t.candidate &&
          o.pools.some((p) => p.role === t.candidate!.role && p.unit === t.candidate!.unit));
      return {
        done: apps.reduce((n, s) => n + lastDone(s, o.person).length, 0),
        copied: apps.filter((s) => copiesOf(s).has(o.person)).length,
        overdue: apps
          .flatMap((s) => s.props.tasks)
          .filter((t) => t.status === 'open' && mine(t) && !!t.dueAt && Date.parse(t.dueAt) < o.now.getTime()).length,
      };
    });
  }
}
