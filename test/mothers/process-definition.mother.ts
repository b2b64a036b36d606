import type {
  FormSchema,
  HandlerRule,
  ProcessDefinition,
  ProcessNodeDefinition,
} from '../../src/domain/process-definition/process-definition.js';

export const HandlersMother = {
  role: (role: string, unit: string): HandlerRule => ({ type: 'role', role, unit }),
  people: (...people: string[]): HandlerRule => ({ type: 'people', people }),
};

type NodeOverrides = Partial<ProcessNodeDefinition> & { key: string };

export const NodeMother = {
  start(o: Partial<ProcessNodeDefinition> = {}): ProcessNodeDefinition {
    return { key: 'apply', name: '提交申请', kind: 'start', ...o };
  },
  /** A review by the finance handlers' pool, two working days. */
  review(o: NodeOverrides): ProcessNodeDefinition {
    return {
      name: `审核 ${o.key}`,
      kind: 'review',
      handlers: HandlersMother.role('handler', 'finance'),
      timeLimit: { workingDays: 2 },
      ...o,
    };
  },
  approve(o: NodeOverrides): ProcessNodeDefinition {
    return {
      name: `审批 ${o.key}`,
      kind: 'approve',
      handlers: HandlersMother.role('handler', 'finance'),
      timeLimit: { workingDays: 3 },
      ...o,
    };
  },
  transfer(o: NodeOverrides & { connector: string }): ProcessNodeDefinition {
    return {
      name: `转办 ${o.key}`,
      kind: 'transfer',
      handlers: HandlersMother.role('handler', 'finance'),
      timeLimit: { workingDays: 1 },
      ...o,
    };
  },
  complete(o: Partial<ProcessNodeDefinition> = {}): ProcessNodeDefinition {
    return {
      key: 'done',
      name: '办结',
      kind: 'complete',
      handlers: HandlersMother.role('handler', 'finance'),
      timeLimit: { hours: 8 },
      ...o,
    };
  },
};

export const FormMother = {
  /** An amount (required, positive) and a free purpose. */
  reimbursement(): FormSchema {
    return {
      type: 'object',
      required: ['amount'],
      properties: {
        amount: { type: 'number', minimum: 0.01 },
        purpose: { type: 'string' },
        invoice_no: { type: 'string' },
        bank_account: { type: 'string', 'x-sensitive': true },
      },
    };
  },
};

export const ProcessDefinitionMother = {
  /** apply -> the given steps -> done; by default one review by the finance pool. */
  create(
    o: { steps?: ProcessNodeDefinition[]; complete?: ProcessNodeDefinition; form?: FormSchema } = {},
  ): ProcessDefinition {
    return {
      form: o.form ?? FormMother.reimbursement(),
      nodes: [
        NodeMother.start(),
        ...(o.steps ?? [NodeMother.review({ key: 'check' })]),
        o.complete ?? NodeMother.complete(),
      ],
    };
  },
};
