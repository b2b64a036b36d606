import type { Application } from '../../domain/application/application.entity.js';
import type { HistoryEntry } from '../../domain/application/application-state.js';
import { nodeByKey, startNode } from '../../domain/process-definition/process-definition.js';
import { PRINTOUT_FORMAT, type PrintoutContent, type PrintoutTrailEntry } from '../../domain/printout/printout.js';

/** What a completed application's printout says as its result. */
export const RESULT_COMPLETED = '已办结 Completed';

/** While in progress (at or past a printable node): where it stands when printed. */
export const resultInProgress = (step: string): string =>
  `办理中（当前环节：${step}） In progress (current step: ${step})`;

/**
 * When a printout may be issued: once the application is completed, or while it is in progress and
 * its definition marks the active node, or a node this run has passed, as printable. A return to
 * the applicant clears the passed nodes; withdrawn, cancelled and rejected applications never.
 */
export function printableNow(a: Application): boolean {
  if (a.state === 'completed') return true;
  if (a.state !== 'in_progress') return false;
  const printable = (key: string | null) => key !== null && nodeByKey(a.process, key)?.printable === true;
  return printable(a.activeNode) || a.current.passedNodes.some(printable);
}

/** Who may issue: the applicant, and whoever holds, held or delegated one of its tasks. */
export function mayIssue(a: Application, person: string): boolean {
  return (
    a.applicantId === person ||
    a.tasks.some((t) => t.assignee === person || t.actedBy === person || t.delegatedBy === person)
  );
}

/**
 * The steps of the handling trail a printout shows, with their wording. Only these: the system's
 * own bookkeeping (activations, claims, connector calls, reminders…) is left out, and so is every
 * private note.
 */
const TRAIL_ACTIONS: Partial<Record<HistoryEntry['action'], string>> = {
  submitted: '提交 Submitted',
  approved: '通过 Approved',
  rejected: '不同意 Rejected',
  'signer-opinion': '出具意见 Opinion',
  returned: '退回 Returned',
  'node-skipped': '跳过 Skipped',
  transferred: '转办 Transferred',
  delegated: '委派 Delegated',
  'delegation-resolved': '委派办毕 Delegation resolved',
  'signer-added': '加签 Signer added',
  'signer-removed': '减签 Signer removed',
  'handed-over': '交接 Handed over',
  reassigned: '改派 Reassigned',
  'form-edited': '修改表单 Form edited',
  commented: '意见 Comment',
  completed: '办结 Completed',
};

export const SYSTEM_NAME = '系统 System';

/** Person ids of the trail's actors (to look their names up). */
export function trailActors(history: readonly HistoryEntry[]): string[] {
  return [
    ...new Set(
      trailEntries(history)
        .map((h) => h.actor)
        .filter((id) => id !== 'system'),
    ),
  ];
}

function trailEntries(history: readonly HistoryEntry[]): HistoryEntry[] {
  return history.filter((h) => !h.private && TRAIL_ACTIONS[h.action] !== undefined);
}

/**
 * The content to sign, but for its code: case number, service, applicant, result and the public
 * handling trail (node names, actor names, public comments; never a private note).
 */
export function printoutContent(i: {
  application: Application;
  /** The application's whole history, oldest first. */
  history: readonly HistoryEntry[];
  service: { code: string; name: string };
  applicant: { name: string; unit: string | null };
  /** Names by person id; an id without a name is printed as it is. */
  names: ReadonlyMap<string, string>;
  issuedAt: Date;
}): Omit<PrintoutContent, 'code'> {
  const a = i.application;
  const p = a.current;
  const nodeName = (key: string | undefined): string =>
    key === undefined ? '—' : (nodeByKey(a.process, key)?.name ?? key);
  const trail: PrintoutTrailEntry[] = trailEntries(i.history).map((h) => {
    const automatic = h.action === 'approved' && h.detail?.automatic === true;
    return {
      at: h.at,
      node: h.action === 'submitted' ? startNode(a.process).name : nodeName(h.node),
      actor: h.actor === 'system' ? SYSTEM_NAME : (i.names.get(h.actor) ?? h.actor),
      action: automatic ? '通过（自动） Approved (automatic)' : TRAIL_ACTIONS[h.action]!,
      comment: h.comment?.trim() ? h.comment : null,
    };
  });
  const result = a.state === 'completed' ? RESULT_COMPLETED : resultInProgress(nodeName(a.activeNode ?? undefined));
  return {
    format: PRINTOUT_FORMAT,
    caseNumber: p.caseNumber ?? '',
    service: i.service,
    applicant: i.applicant,
    result,
    issuedAt: i.issuedAt.toISOString(),
    trail,
  };
}

/** Why a printout stopped being valid. */
export const REVOCATION_REASONS = ['withdrawn', 'cancelled', 'returned', 'form-changed', 'rejected'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

const REVOKING: Partial<Record<HistoryEntry['action'], RevocationReason>> = {
  withdrawn: 'withdrawn',
  cancelled: 'cancelled',
  returned: 'returned',
  'form-edited': 'form-changed',
  'application-rejected': 'rejected',
};

/**
 * Whether what happened to the application after a printout was issued (history entries after
 * `historySeq`) revokes it: it was withdrawn, cancelled, returned (to the applicant or to an
 * earlier step), its form was changed, or it was rejected after all. The first such entry counts.
 */
export function revocationOf(
  history: readonly HistoryEntry[],
  historySeq: number,
): { at: Date; reason: RevocationReason } | null {
  for (const h of history) {
    const reason = h.seq > historySeq ? REVOKING[h.action] : undefined;
    if (reason) return { at: new Date(h.at), reason };
  }
  return null;
}
