import type { TestApp } from '../fixtures/test-app.js';
import { as } from './lifecycle-helpers.js';

/** Reimbursement: a finance pool review, a countersign by two academic-affairs staff, payment by a named person. */
export function reimbursement(signMode: 'all' | 'any' | 'sequential' | 'ratio' = 'all') {
  return {
    form: {
      type: 'object',
      required: ['amount', 'purpose'],
      additionalProperties: false,
      properties: {
        amount: { type: 'number', exclusiveMinimum: 0, maximum: 100000 },
        purpose: { type: 'string', minLength: 2, maxLength: 200 },
        invoice_no: { type: 'string' },
      },
    },
    nodes: [
      { key: 'apply', kind: 'start', name: '提交申请' },
      {
        key: 'check',
        kind: 'review',
        name: '财务审核',
        handlers: { type: 'role', role: 'handler', unit: 'finance' },
        timeLimit: { workingDays: 2 },
        fields: { visible: ['amount', 'purpose', 'invoice_no'], editable: ['invoice_no'] },
      },
      {
        key: 'sign',
        kind: 'approve',
        name: '教务会签',
        handlers: { type: 'people', people: ['T0101', 'T0102'] },
        mode: signMode,
        ...(signMode === 'ratio' ? { passRatio: 0.5 } : {}),
        timeLimit: { workingDays: 3 },
      },
      {
        key: 'pay',
        kind: 'complete',
        name: '办结',
        handlers: { type: 'people', people: ['T0302'] },
        timeLimit: { hours: 8 },
      },
    ],
  };
}

export const goodForm = { amount: 1280.5, purpose: '赴京参加学术会议' };

export interface HistoryBody {
  seq: number;
  action: string;
  node?: string;
  actor: string;
  comment?: string;
  detail?: Record<string, unknown>;
}
/** An application as an action answers it: `recorded` holds what that action added to its history. */
export interface AppBody {
  id: string;
  state: string;
  activeNode: string | null;
  activeNodes: string[];
  caseNumber: string;
  form: Record<string, unknown>;
  currentTasks: Array<{ id: string; node: string; status: string; assignee: string | null; dueAt?: string | null }>;
  recorded: HistoryBody[];
}
/** An application's progress (GET): its history from the start, a page at a time. */
export interface ProgressBody extends Omit<AppBody, 'recorded'> {
  history: HistoryBody[];
  historyNextCursor: string | null;
}

/** The progress of an application as someone who may read it sees it (by default the auditor, who reads every one). */
export async function progress(t: TestApp, id: string, who = 'auditor'): Promise<ProgressBody> {
  const res = await as(t, who).get(`/api/v1/applications/${id}`);
  if (res.status !== 200) throw new Error(`progress: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ProgressBody;
}

export async function apply(
  t: TestApp,
  itemId: string,
  who = 'student-xx',
  form: unknown = goodForm,
): Promise<AppBody> {
  const res = await as(t, who).post('/api/v1/applications', { itemId, form });
  if (res.status !== 201) throw new Error(`apply: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as AppBody;
}

export async function act(t: TestApp, who: string, taskId: string, action: string, body?: unknown) {
  return as(t, who).post(`/api/v1/tasks/${taskId}/${action}`, body);
}

export const taskOf = (a: AppBody, assignee: string | null, node?: string) =>
  a.currentTasks.find((x) => x.assignee === assignee && (!node || x.node === node))!.id;
