import { z } from 'zod';
import { Degradation } from './service-item.schemas.js';
import {
  APPLICATION_STATES,
  type HistoryEntry as DomainHistoryEntry,
} from '../../../../domain/application/application-state.js';
import { component, entityId, instant, page, personId } from './component.js';

const HISTORY_ACTIONS = [
  'saved',
  'submitted',
  'node-activated',
  'node-skipped',
  'escalated',
  'claimed',
  'unclaimed',
  'approved',
  'rejected',
  'node-passed',
  'returned',
  'withdrawn',
  'cancelled',
  'completed',
  'commented',
  'application-rejected',
  'transferred',
  'delegated',
  'delegation-resolved',
  'signer-added',
  'signer-removed',
  'signer-opinion',
  'copied',
  'urged',
  'form-edited',
  'connector-requested',
  'connector-succeeded',
  'connector-failed',
  'handed-over',
  'branch-arrived',
  'branches-joined',
  'taken-back',
  'jumped',
  'moved-version',
  'reassigned',
] as const satisfies ReadonlyArray<DomainHistoryEntry['action']>;
/** Compile-time: every action the engine records is listed above. */
const _everyAction: Exclude<DomainHistoryEntry['action'], (typeof HISTORY_ACTIONS)[number]> extends never
  ? true
  : never = true;

const pool = z.object({ role: z.string(), unit: z.string() }).describe('a role pool in a unit');

export const ApplicationState = component('ApplicationState', z.enum(APPLICATION_STATES));

/** One entry of an application's history; handlers' private notes are never shown to the applicant. */
export const HistoryEntry = component(
  'HistoryEntry',
  z.object({
    seq: z.number().int(),
    at: instant,
    actor: z.string().describe('person id, or the system'),
    action: z.enum(HISTORY_ACTIONS),
    node: z.string().optional(),
    taskId: z.string().optional(),
    comment: z.string().optional(),
    private: z.boolean().optional(),
    detail: z.record(z.string(), z.unknown()).optional(),
  }),
);

/** A current step's task: open, or waiting for another signer first. */
export const TaskView = component(
  'TaskView',
  z.object({
    id: entityId,
    node: z.string(),
    status: z.enum(['open', 'waiting']),
    assignee: z.string().nullable().describe('who must act; null while offered to a pool'),
    candidate: pool.nullable().describe('the pool it is offered to (claim first)'),
    reason: z.string().nullable(),
    createdAt: instant,
    dueAt: instant.nullable(),
  }),
);

const applicationFields = {
  id: entityId,
  caseNumber: z.string().nullable().describe('办件编号, given on first submission'),
  itemId: entityId,
  versionId: entityId,
  applicantId: personId,
  state: ApplicationState,
  form: z.record(z.string(), z.unknown()),
  activeNode: z
    .string()
    .nullable()
    .describe('the key of the step it waits at (the first, while parallel branches run)'),
  activeNodes: z.array(z.string()).describe('the keys of every step it waits at: several while parallel branches run'),
  currentTasks: z.array(TaskView),
  createdAt: instant,
  updatedAt: instant,
};

/** An application after an action: where it stands, and the history entries that action recorded. */
export const ApplicationView = component(
  'ApplicationView',
  z.object({ ...applicationFields, recorded: z.array(HistoryEntry) }),
);

/** Progress of an application: where it stands and its history, oldest first, the first page of it. */
export const ApplicationProgress = component(
  'ApplicationProgress',
  z.object({
    ...applicationFields,
    history: z.array(HistoryEntry),
    historyNextCursor: z.string().nullable().describe('GET …/history?cursor= for the rest'),
    offlineProcedure: z
      .string()
      .describe(
        "the item's offline procedure (线下应急办理方式): how to go on offline, with the printout as the bridge",
      ),
    degraded: Degradation.nullable().describe(
      'set while a business system its process hands it to is down: why, and the offline procedure',
    ),
  }),
);

export const HistoryPage = page('HistoryPage', HistoryEntry);

export const ApplicationSummary = component(
  'ApplicationSummary',
  z.object({
    id: entityId,
    caseNumber: z.string().nullable(),
    serviceItem: z.object({ id: entityId, code: z.string(), name: z.string() }),
    state: ApplicationState,
    activeNode: z
      .object({ key: z.string(), name: z.string().nullable() })
      .nullable()
      .describe('the step it waits at; null once ended'),
    createdAt: instant,
    updatedAt: instant,
  }),
);
export const ApplicationSummaryPage = page('ApplicationSummaryPage', ApplicationSummary);

/** A task in my inbox (待办), with its due time and whether it is overdue now. */
export const InboxTask = component(
  'InboxTask',
  z.object({
    taskId: entityId,
    applicationId: entityId,
    caseNumber: z.string().nullable(),
    itemId: entityId,
    itemName: z.string(),
    nodeKey: z.string(),
    assignee: z.string().nullable(),
    candidate: pool.nullable(),
    reason: z.string().nullable(),
    createdAt: instant,
    dueAt: instant.nullable(),
    overdue: z.boolean(),
  }),
);
export const InboxPage = page('InboxPage', InboxTask);

export const TodoCount = component(
  'TodoCount',
  z.object({ assigned: z.number().int(), claimable: z.number().int(), total: z.number().int() }),
);

export const Absence = component(
  'Absence',
  z.object({ personId, substituteId: personId, from: z.iso.date(), to: z.iso.date() }),
);
export const AbsenceCleared = component('AbsenceCleared', z.object({ cleared: z.literal(true) }));

export const Attachment = component(
  'Attachment',
  z.object({
    id: entityId,
    applicationId: entityId,
    uploadedBy: personId,
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: instant,
  }),
);
export const AttachmentList = component('AttachmentList', z.object({ items: z.array(Attachment) }));
