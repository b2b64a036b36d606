/**
 * The service-item lifecycle (Art. 8–12) as an explicit state machine: the single source of truth
 * for which command is allowed in which state. Approvals and launches decide the target state
 * within what this table allows.
 */
export const SERVICE_ITEM_STATES = [
  'onboarding_pending', // 入驻申请: awaiting both approvals
  'onboarding_rejected', // returned to the unit, which may revise and re-apply
  'building', // approved: the unit defines nodes, handlers and forms
  'online', // in the catalogue, accepting applications
  'change_pending', // still online, a change request (变更申请) awaits the IT Office
  'offboarding_pending', // still online, awaiting both approvals to go offline
  'offline', // 已下线: out of the catalogue, data kept for queries and statistics
] as const;
export type ServiceItemState = (typeof SERVICE_ITEM_STATES)[number];

export const LIFECYCLE_COMMANDS = [
  'approve',
  'reject',
  'reapply',
  'define_version',
  'confirm_version',
  'launch',
  'request_change',
  'accept_change',
  'refuse_change',
  'request_offboarding',
] as const;
export type LifecycleCommand = (typeof LIFECYCLE_COMMANDS)[number];

/** For each command, the states it is allowed in and the state it leads to (before approvals complete). */
const TRANSITIONS: Record<LifecycleCommand, Partial<Record<ServiceItemState, ServiceItemState>>> = {
  approve: { onboarding_pending: 'onboarding_pending', offboarding_pending: 'offboarding_pending' },
  reject: { onboarding_pending: 'onboarding_rejected', offboarding_pending: 'online' },
  reapply: { onboarding_rejected: 'onboarding_pending' },
  define_version: { building: 'building', online: 'online' },
  confirm_version: { building: 'building', online: 'online' },
  launch: { building: 'online', online: 'online' },
  request_change: { online: 'change_pending' },
  accept_change: { change_pending: 'online' },
  refuse_change: { change_pending: 'online' },
  request_offboarding: { online: 'offboarding_pending' },
};

/** Where all required approvals lead, per phase. */
export const APPROVED_TARGET: Partial<Record<ServiceItemState, ServiceItemState>> = {
  onboarding_pending: 'building',
  offboarding_pending: 'offline',
};

export function nextState(state: ServiceItemState, command: LifecycleCommand): ServiceItemState | undefined {
  return TRANSITIONS[command][state];
}

export function allowedCommands(state: ServiceItemState): LifecycleCommand[] {
  return LIFECYCLE_COMMANDS.filter((c) => nextState(state, c) !== undefined);
}

/** States in which the item is listed in the catalogue and accepts new applications. */
export function isInCatalogue(state: ServiceItemState): boolean {
  return state === 'online' || state === 'change_pending' || state === 'offboarding_pending';
}
