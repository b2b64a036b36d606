import type { Application } from '../../domain/application/application.entity.js';
import type { HistoryEntry } from '../../domain/application/application-state.js';

const shown = (entries: readonly HistoryEntry[], forApplicant: boolean) =>
  entries.filter((h) => !(forApplicant && h.private));

/**
 * What an application shows after an action: where it stands, its current steps, and the history
 * entries this action recorded (the whole history is read, a page at a time, with its progress).
 * The applicant never sees handlers' private notes.
 */
export function applicationView(
  a: Application,
  options: {
    forApplicant: boolean;
    /** The form as this reader may see it (`formSeenBy`); the applicant's own is all of it. */
    form: Record<string, unknown>;
  },
) {
  const p = a.current;
  return {
    id: p.id,
    caseNumber: p.caseNumber,
    itemId: p.itemId,
    versionId: p.versionId,
    applicantId: p.applicant.id,
    state: p.state,
    form: options.form,
    activeNode: p.activeNode,
    activeNodes: [...p.activeNodes],
    currentTasks: p.tasks
      .filter((t) => t.status === 'open' || t.status === 'waiting')
      .map((t) => ({
        id: t.id,
        node: t.nodeKey,
        status: t.status,
        assignee: t.assignee,
        candidate: t.candidate,
        reason: t.reason,
        createdAt: t.createdAt,
        dueAt: t.dueAt ?? null,
      })),
    recorded: shown(a.recorded, options.forApplicant),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
export type ApplicationView = ReturnType<typeof applicationView>;

/** Progress (GET): where the application stands and the first page of its history, oldest first. */
export function progressView(
  a: Application,
  history: { items: HistoryEntry[]; nextCursor: string | null },
  options: { forApplicant: boolean; form: Record<string, unknown> },
) {
  const { recorded: _recorded, ...view } = applicationView(a, options);
  return { ...view, history: shown(history.items, options.forApplicant), historyNextCursor: history.nextCursor };
}
export type ProgressView = ReturnType<typeof progressView>;
