/**
 * A versioned process definition of a service item: the form the applicant fills in and the
 * graph of nodes (申请 → 审核/审批/转办 → 办结) the application travels through.
 * Plain data; see process-definition.validator.ts for the rules a definition must satisfy.
 */

/** start=申请 (the applicant acts), review=审核, approve=审批, transfer=转办, complete=办结. */
export const STEP_KINDS = ['start', 'review', 'approve', 'transfer', 'complete'] as const;
/**
 * Gateways (网关) route without handlers: exclusive=排他 takes one outgoing flow, parallel=并行 all of
 * them, inclusive=包容 every flow whose condition holds. With several incoming flows a gateway joins:
 * it passes once every branch that can still reach it has arrived.
 */
export const GATEWAY_KINDS = ['exclusive', 'parallel', 'inclusive'] as const;
export const NODE_KINDS = [...STEP_KINDS, ...GATEWAY_KINDS] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
export type GatewayKind = (typeof GATEWAY_KINDS)[number];

export const isGatewayKind = (kind: unknown): kind is GatewayKind =>
  (GATEWAY_KINDS as readonly unknown[]).includes(kind);
export const isGateway = (node: { kind: NodeKind }): boolean => isGatewayKind(node.kind);

/** any=或签, all=会签, sequential=依次, ratio=passes once `passRatio` of the handlers approve. */
export const SIGN_MODES = ['any', 'all', 'sequential', 'ratio'] as const;
export type SignMode = (typeof SIGN_MODES)[number];

/** Unit placeholders resolved against the applicant when the node is reached. */
export const APPLICANT_UNIT_REFS = ['$applicant.unit', '$applicant.college'] as const;
export type ApplicantUnitRef = (typeof APPLICANT_UNIT_REFS)[number];

export const NODE_KEY_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;
export const CONNECTOR_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
export const NODE_NAME_MAX_LENGTH = 100;
export const MIN_NODES = 2;
export const MAX_NODES = 100;
export const MAX_PEOPLE = 50;
export const WORKING_DAYS_RANGE = { min: 1, max: 365 } as const;
export const HOURS_RANGE = { min: 1, max: 8760 } as const;

export type HandlerRule =
  /** `unit`: a unit key, or '$applicant.unit' / '$applicant.college'. */
  | { type: 'role'; role: string; unit: string }
  /** Person ids, 1..50, no duplicates. */
  | { type: 'people'; people: string[] };

/** Integers; exactly one of the two keys. */
export type TimeLimit = { workingDays: number } | { hours: number };

/** Names of top-level form properties; every editable name is also visible when `visible` is given. */
export interface FieldAccess {
  visible?: string[];
  editable?: string[];
}

export interface ProcessNodeDefinition {
  key: string;
  name: string;
  kind: NodeKind;
  /** Required on every kind except start, forbidden on start. */
  handlers?: HandlerRule;
  /** Defaults to 'any' on every kind except start, forbidden on start. */
  mode?: SignMode;
  /** Present iff mode === 'ratio'; 0 < passRatio <= 1. */
  passRatio?: number;
  fields?: FieldAccess;
  /** Required on every kind except start, forbidden on start. */
  timeLimit?: TimeLimit;
  /** Keys of the following nodes; when absent the next node in array order follows (never after a complete node). */
  next?: string[];
  /** Business-system connector id; transfer nodes only. */
  connector?: string;
  /**
   * With a connector: the top-level form fields the business system receives, and nothing else
   * of the form (data minimisation, Art. 15); `[]` sends none.
   */
  connectorFields?: string[];
  /** JSON Logic over form.* and applicant.*; when false the node is skipped (never on start, complete or a gateway). */
  condition?: Record<string, unknown>;
  /**
   * Exclusive and inclusive gateways: the condition (JSON Logic, as `condition`) of the flow to each
   * successor named here; a successor not named is always taken, unless it is the `default`.
   */
  conditions?: Record<string, Record<string, unknown>>;
  /** Exclusive and inclusive gateways: the successor taken when no other flow's condition holds. */
  default?: string;
  /**
   * When the applicant is among the resolved approvers: 'next-approver' (default) leaves them out
   * (and escalates if nobody remains); 'skip-node' skips the step, as the history records.
   */
  whenApplicantIsApprover?: ApplicantAsApprover;
  /** The person who approved the previous step, if an approver here too, is approved automatically. */
  autoPassSameApprover?: boolean;
  /** A printout (办事凭证) may be issued while this node is active or once it has been passed. */
  printable?: boolean;
  /** What happens to a task still open when its time limit passes; absent: 'remind' (never on start). */
  onTimeout?: { action: TimeoutAction };
}

/**
 * remind: the reminders only (the default); approve: the system approves the task; reject: the
 * system rejects the application; escalate: the task goes to the owning unit's service admins.
 */
export const TIMEOUT_ACTIONS = ['remind', 'approve', 'reject', 'escalate'] as const;
export type TimeoutAction = (typeof TIMEOUT_ACTIONS)[number];
/** Kinds where a clock may decide: a transfer or completion is a unit's real work, which no clock does. */
export const DECIDING_TIMEOUT_KINDS: readonly NodeKind[] = ['review', 'approve'];

export const APPLICANT_AS_APPROVER = ['next-approver', 'skip-node'] as const;
export type ApplicantAsApprover = (typeof APPLICANT_AS_APPROVER)[number];

/** A JSON Schema object; only `type` and `properties` are checked here, the application compiles the rest. */
export interface FormSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  [keyword: string]: unknown;
}

export interface ProcessDefinition {
  form: FormSchema;
  nodes: ProcessNodeDefinition[];
}

/** What the validator needs to know about the rest of the world. */
export interface DefinitionReferences {
  /** Existing unit keys. */
  units: ReadonlySet<string>;
  /** Existing unit-scoped role keys. */
  roles: ReadonlySet<string>;
  /** Existing person ids (at least those referenced). */
  people: ReadonlySet<string>;
  /** Ids of the business-system connectors configured in this hall. */
  connectors: ReadonlySet<string>;
}

export function isApplicantUnitRef(unit: string): unit is ApplicantUnitRef {
  return (APPLICANT_UNIT_REFS as readonly string[]).includes(unit);
}

export function nodeByKey(def: ProcessDefinition, key: string): ProcessNodeDefinition | undefined {
  return def.nodes.find((node) => node.key === key);
}

/** The single start node of a (validated) definition; throws if there is none. */
export function startNode(def: ProcessDefinition): ProcessNodeDefinition {
  const start = def.nodes.find((node) => node.kind === 'start');
  if (!start) throw new Error('Process definition has no start node');
  return start;
}

/**
 * Keys of the nodes that follow `key`: its explicit `next`, otherwise the next node in array
 * order; [] for a complete node (or a non-complete last node, which a valid definition never has).
 * Throws on an unknown key: that is a programming error, not "the process is over".
 */
export function successors(def: ProcessDefinition, key: string): string[] {
  const index = def.nodes.findIndex((node) => node.key === key);
  const node = def.nodes[index];
  if (!node) throw new Error(`Process definition has no node '${key}'`);
  if (node.kind === 'complete') return [];
  if (node.next) return [...node.next];
  const following = def.nodes[index + 1];
  return following ? [following.key] : [];
}

/** Keys of the nodes with a flow into `key`. */
export function predecessors(def: ProcessDefinition, key: string): string[] {
  return def.nodes.filter((n) => successors(def, n.key).includes(key)).map((n) => n.key);
}

const descendantsCache = new WeakMap<ProcessDefinition, Map<string, ReadonlySet<string>>>();

/** Keys of every node reachable from `key` by one or more flows (a valid definition has no cycle). */
export function downstreamOf(def: ProcessDefinition, key: string): ReadonlySet<string> {
  let byKey = descendantsCache.get(def);
  if (!byKey) descendantsCache.set(def, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  const reached = new Set<string>();
  const stack = successors(def, key);
  for (let k = stack.pop(); k !== undefined; k = stack.pop()) {
    if (reached.has(k)) continue;
    reached.add(k);
    stack.push(...successors(def, k));
  }
  byKey.set(key, reached);
  return reached;
}

/** Concrete unit keys used by role handler rules ('$applicant.*' excluded), deduplicated, in node order. */
export function unitsReferenced(def: ProcessDefinition): string[] {
  const units = new Set<string>();
  for (const node of def.nodes) {
    const rule = node.handlers;
    if (rule?.type === 'role' && !isApplicantUnitRef(rule.unit)) units.add(rule.unit);
  }
  return [...units];
}
