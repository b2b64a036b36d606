import type { Application } from '../../domain/application/application.entity.js';

/** What an application shows; the applicant never sees handlers' private notes. */
export function applicationView(a: Application, options: { forApplicant: boolean }) {
  const p = a.snapshot();
  return {
    id: p.id, caseNumber: p.caseNumber, itemId: p.itemId, versionId: p.versionId, applicantId: p.applicant.id,
    state: p.state, form: p.form, activeNode: p.activeNode,
    currentTasks: p.tasks.filter((t) => t.status === 'open' || t.status === 'waiting').map((t) => ({
      id: t.id, node: t.nodeKey, status: t.status, assignee: t.assignee, candidate: t.candidate, reason: t.reason, createdAt: t.createdAt, dueAt: t.dueAt ?? null,
    })),
    history: p.history.filter((h) => !(options.forApplicant && h.private)),
    createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
  };
}
export type ApplicationView = ReturnType<typeof applicationView>;
