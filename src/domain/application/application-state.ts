/** Where an application (办件) stands. */
export const APPLICATION_STATES = [
  'draft',
  'in_progress',
  'returned',
  'completed',
  'rejected',
  'withdrawn',
  'cancelled',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const TERMINAL_STATES: readonly ApplicationState[] = ['completed', 'rejected', 'withdrawn', 'cancelled'];
export const isTerminal = (s: ApplicationState): boolean => TERMINAL_STATES.includes(s);

export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  action:
    | 'saved'
    | 'submitted'
    | 'node-activated'
    | 'node-skipped'
    | 'escalated'
    | 'claimed'
    | 'unclaimed'
    | 'approved'
    | 'rejected'
    | 'node-passed'
    | 'returned'
    | 'withdrawn'
    | 'cancelled'
    | 'completed'
    | 'commented'
    | 'application-rejected'
    | 'transferred'
    | 'delegated'
    | 'delegation-resolved'
    | 'signer-added'
    | 'signer-removed'
    | 'signer-opinion'
    | 'copied'
    | 'urged'
    | 'form-edited'
    | 'connector-requested'
    | 'connector-succeeded'
    | 'connector-failed'
    | 'handed-over'
    | 'branch-arrived'
    | 'branches-joined'
    | 'taken-back'
    | 'jumped'
    | 'moved-version'
    | 'reassigned';
  node?: string;
  taskId?: string;
  comment?: string;
  /** Handlers' private notes are never shown to the applicant. */
  private?: boolean;
  detail?: Record<string, unknown>;
}

/** What the engine needs from outside, computed by the application layer before the action. */
export interface EngineContext {
  /** Active people who may handle a node for this applicant; a role rule also names its pool. */
  resolve(nodeKey: string): ResolvedHandlers;
  /** Whether a node applies to this application (conditions); absent conditions apply. */
  applies(nodeKey: string): boolean;
  /** Whether the condition of a gateway's flow to `target` holds for this application. */
  flowHolds(gatewayKey: string, target: string): boolean;
  /** Where work goes when a node resolves to nobody. */
  escalation: { role: string; unit: string };
  newId(): string;
  at: Date;
  /** When a task of this node, opened now, falls due (its time limit on the university calendar). */
  dueAt(nodeKey: string): Date | null;
}

export type ResolvedHandlers = (
  { kind: 'pool'; role: string; unit: string; people: string[] } | { kind: 'people'; people: string[] }
) & {
  /** Substitutes standing in for absent people (time-boxed delegation): substitute -> absent person. */
  substituteFor?: Record<string, string>;
};
