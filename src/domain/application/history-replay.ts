import type { ApplicationState, HistoryEntry } from './application-state.js';

/**
 * Derives where an application stands from its history alone. The engine's state must always equal
 * this: the history is complete enough to audit a case without the live tables. Active steps and
 * waiting joins come back sorted by key.
 */
export function replayHistory(history: readonly HistoryEntry[]): {
  state: ApplicationState;
  activeNodes: string[];
  waitingJoins: string[];
} {
  let state: ApplicationState = 'draft';
  const active = new Set<string>();
  const waiting = new Set<string>();
  const clear = () => {
    active.clear();
    waiting.clear();
  };
  const keys = (value: unknown): string[] => (Array.isArray(value) ? value.filter((k) => typeof k === 'string') : []);
  for (const e of history) {
    switch (e.action) {
      case 'saved':
        state = 'draft';
        break;
      case 'submitted':
        state = 'in_progress';
        clear();
        break;
      case 'node-activated':
        state = 'in_progress';
        if (e.node) active.add(e.node);
        break;
      case 'node-passed':
        if (e.node) active.delete(e.node);
        break;
      case 'branch-arrived':
        if (e.node && !e.detail?.merged) waiting.add(e.node);
        break;
      case 'branches-joined':
        if (e.node) waiting.delete(e.node);
        break;
      case 'jumped':
      case 'taken-back':
      case 'returned':
        if (e.detail?.target === 'applicant') {
          state = 'returned';
          clear();
        } else {
          for (const k of keys(e.detail?.closed)) active.delete(k);
          for (const k of keys(e.detail?.clearedJoins)) waiting.delete(k);
        }
        break;
      case 'moved-version': {
        const moved = (e.detail?.moved ?? {}) as Record<string, string>;
        for (const set of [active, waiting]) {
          const keys = [...set];
          set.clear();
          for (const k of keys) set.add(moved[k] ?? k);
        }
        break;
      }
      case 'completed':
        state = 'completed';
        clear();
        break;
      case 'application-rejected':
        state = 'rejected';
        clear();
        break;
      case 'withdrawn':
        state = 'withdrawn';
        clear();
        break;
      case 'cancelled':
        state = 'cancelled';
        clear();
        break;
      default:
        break;
    }
  }
  return { state, activeNodes: [...active].sort(), waitingJoins: [...waiting].sort() };
}
