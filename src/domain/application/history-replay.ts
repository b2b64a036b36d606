import type { ApplicationState, HistoryEntry } from './application-state.js';

/**
 * Derives where an application stands from its history alone. The engine's state must always equal
 * this: the history is complete enough to audit a case without the live tables.
 */
export function replayHistory(history: readonly HistoryEntry[]): {
  state: ApplicationState;
  activeNode: string | null;
} {
  let state: ApplicationState = 'draft';
  let activeNode: string | null = null;
  for (const e of history) {
    switch (e.action) {
      case 'saved':
        state = 'draft';
        break;
      case 'submitted':
        state = 'in_progress';
        activeNode = null;
        break;
      case 'node-activated':
        state = 'in_progress';
        activeNode = e.node ?? null;
        break;
      case 'node-passed':
        activeNode = null;
        break;
      case 'returned':
        activeNode = null;
        if (e.detail?.target === 'applicant') state = 'returned';
        break;
      case 'completed':
        state = 'completed';
        activeNode = null;
        break;
      case 'application-rejected':
        state = 'rejected';
        activeNode = null;
        break;
      case 'withdrawn':
        state = 'withdrawn';
        activeNode = null;
        break;
      case 'cancelled':
        state = 'cancelled';
        activeNode = null;
        break;
      default:
        break;
    }
  }
  return { state, activeNode };
}
