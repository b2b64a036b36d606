import { expect } from 'chai';
import type {
  ProcessDefinition,
  ProcessNodeDefinition,
} from '../../../src/domain/process-definition/process-definition.js';
import {
  connectorsUsed,
  evaluateLaunchGate,
  handlerRequirements,
  type HandlerRequirement,
} from '../../../src/domain/service-item/launch-gate.js';

const UNITS = [
  { key: 'academic-affairs', kind: 'office' },
  { key: 'computer-college', kind: 'college' },
  { key: 'library', kind: 'center' },
  { key: 'math-college', kind: 'college' },
] as const;

const def = (...middle: ProcessNodeDefinition[]): ProcessDefinition => ({
  form: { type: 'object', properties: {} },
  nodes: [
    { key: 'apply', name: '申请', kind: 'start' },
    ...middle,
    {
      key: 'done',
      name: '办结',
      kind: 'complete',
      mode: 'any',
      handlers: { type: 'role', role: 'clerk', unit: 'academic-affairs' },
      timeLimit: { hours: 8 },
    },
  ],
});

const node = (key: string, handlers: ProcessNodeDefinition['handlers']): ProcessNodeDefinition => ({
  key,
  name: key,
  kind: 'approve',
  mode: 'any',
  handlers,
  timeLimit: { workingDays: 2 },
});

const DONE: HandlerRequirement = { node: 'done', type: 'role', role: 'clerk', unit: 'academic-affairs' };

describe('launch gate', () => {
  describe('handlerRequirements', () => {
    it('ignores the start node and maps a concrete unit to itself', () => {
      expect(handlerRequirements(def(), UNITS)).to.deep.equal([DONE]);
    });

    it("expands '$applicant.college' to every college unit, in unit order", () => {
      const d = def(node('counselor', { type: 'role', role: 'counselor', unit: '$applicant.college' }));
      expect(handlerRequirements(d, UNITS)).to.deep.equal([
        { node: 'counselor', type: 'role', role: 'counselor', unit: 'computer-college' },
        { node: 'counselor', type: 'role', role: 'counselor', unit: 'math-college' },
        DONE,
      ]);
    });

    it("expands '$applicant.unit' to every unit of every kind", () => {
      const d = def(node('head', { type: 'role', role: 'head', unit: '$applicant.unit' }));
      expect(handlerRequirements(d, UNITS)).to.deep.equal([
        ...UNITS.map((u) => ({ node: 'head', type: 'role', role: 'head', unit: u.key })),
        DONE,
      ]);
    });

    it('passes people rules through as-is, as a copy', () => {
      const d = def(node('named', { type: 'people', people: ['p003', 'p001'] }));
      const out = handlerRequirements(d, UNITS);
      expect(out).to.deep.equal([{ node: 'named', type: 'people', people: ['p003', 'p001'] }, DONE]);
      const first = out[0];
      if (first?.type !== 'people') return expect.fail('expected a people requirement');
      first.people.push('p999');
      const rule = d.nodes[1]?.handlers;
      expect(rule?.type === 'people' ? rule.people : []).to.deep.equal(['p003', 'p001']);
    });

    it('keeps node order across mixed rules', () => {
      const d = def(
        node('a', { type: 'role', role: 'counselor', unit: '$applicant.college' }),
        node('b', { type: 'people', people: ['p001'] }),
        node('c', { type: 'role', role: 'dean', unit: 'library' }),
      );
      expect(
        handlerRequirements(d, UNITS).map((r) => `${r.node}:${r.type === 'role' ? r.unit : r.people.join('+')}`),
      ).to.deep.equal(['a:computer-college', 'a:math-college', 'b:p001', 'c:library', 'done:academic-affairs']);
    });

    it('keeps an unsatisfiable requirement for a placeholder no unit matches, so the node cannot pass vacuously', () => {
      const d = def(node('counselor', { type: 'role', role: 'counselor', unit: '$applicant.college' }));
      expect(handlerRequirements(d, [{ key: 'academic-affairs', kind: 'office' }])).to.deep.equal([
        { node: 'counselor', type: 'role', role: 'counselor', unit: '$applicant.college' },
        DONE,
      ]);
      const u = def(node('head', { type: 'role', role: 'head', unit: '$applicant.unit' }));
      expect(handlerRequirements(u, [])).to.deep.equal([
        { node: 'head', type: 'role', role: 'head', unit: '$applicant.unit' },
        DONE,
      ]);
    });
  });

  describe('evaluateLaunchGate', () => {
    const NO_CONNECTORS = { used: [], configured: new Set<string>() };
    const roleReq: HandlerRequirement = { node: 'counselor', type: 'role', role: 'counselor', unit: 'math-college' };
    const peopleReq: HandlerRequirement = { node: 'named', type: 'people', people: ['p003', 'p001'] };

    it('returns [] when every unit confirmed and every requirement has an active handler', () => {
      expect(
        evaluateLaunchGate({
          involvedUnits: ['academic-affairs', 'library'],
          confirmedUnits: ['library', 'academic-affairs', 'extra-unit'],
          hasDefinition: true,
          connectors: NO_CONNECTORS,
          resolved: [
            { requirement: DONE, activeHandlers: 1 },
            { requirement: roleReq, activeHandlers: 3 },
            { requirement: peopleReq, activeHandlers: 2 },
          ],
        }),
      ).to.deep.equal([]);
    });

    it("lists what the form schema checker finds wrong with the version's form, at its path", () => {
      expect(
        evaluateLaunchGate({
          involvedUnits: [],
          confirmedUnits: [],
          hasDefinition: true,
          connectors: NO_CONNECTORS,
          resolved: [{ requirement: DONE, activeHandlers: 1 }],
          formProblems: [{ path: '/form/properties/code/pattern', message: 'the pattern can backtrack' }],
        }),
      ).to.deep.equal([{ kind: 'form', path: '/form/properties/code/pattern', message: 'the pattern can backtrack' }]);
    });

    it('lists every missing confirmation and every requirement with 0 active handlers, exactly', () => {
      expect(
        evaluateLaunchGate({
          involvedUnits: ['academic-affairs', 'library', 'computer-college'],
          confirmedUnits: ['library'],
          hasDefinition: true,
          connectors: NO_CONNECTORS,
          resolved: [
            { requirement: DONE, activeHandlers: 1 },
            { requirement: roleReq, activeHandlers: 0 },
            { requirement: peopleReq, activeHandlers: 0 },
          ],
        }),
      ).to.deep.equal([
        {
          kind: 'confirmation',
          unit: 'academic-affairs',
          message: "unit 'academic-affairs' has not confirmed this version",
        },
        {
          kind: 'confirmation',
          unit: 'computer-college',
          message: "unit 'computer-college' has not confirmed this version",
        },
        {
          kind: 'handler',
          node: 'counselor',
          unit: 'math-college',
          role: 'counselor',
          message: "node 'counselor': nobody active holds role 'counselor' in unit 'math-college'",
        },
        {
          kind: 'handler',
          node: 'named',
          message: "node 'named': none of the named people (p003, p001) is active staff",
        },
      ]);
    });

    it('reports only handlers when all confirmed, and only confirmations when all staffed', () => {
      const base = { involvedUnits: ['library'], hasDefinition: true, connectors: NO_CONNECTORS };
      expect(
        evaluateLaunchGate({
          ...base,
          confirmedUnits: ['library'],
          resolved: [{ requirement: DONE, activeHandlers: 0 }],
        }).map((s) => s.kind),
      ).to.deep.equal(['handler']);
      expect(
        evaluateLaunchGate({ ...base, confirmedUnits: [], resolved: [{ requirement: DONE, activeHandlers: 5 }] }),
      ).to.deep.equal([
        { kind: 'confirmation', unit: 'library', message: "unit 'library' has not confirmed this version" },
      ]);
    });

    it('returns only the definition shortfall when there is no definition', () => {
      expect(
        evaluateLaunchGate({
          involvedUnits: ['academic-affairs', 'library'],
          confirmedUnits: [],
          hasDefinition: false,
          connectors: NO_CONNECTORS,
          resolved: [{ requirement: roleReq, activeHandlers: 0 }],
        }),
      ).to.deep.equal([{ kind: 'definition', message: 'the version has no process definition' }]);
    });

    it('names every transfer node whose business-system connector is not configured in this hall', () => {
      const d = def(
        { ...node('dorm', { type: 'people', people: ['p001'] }), kind: 'transfer', connector: 'dormitory-system' },
        { ...node('lib', { type: 'people', people: ['p001'] }), kind: 'transfer', connector: 'library-system' },
      );
      const gate = (configured: string[]) =>
        evaluateLaunchGate({
          involvedUnits: [],
          confirmedUnits: [],
          hasDefinition: true,
          resolved: [],
          connectors: { used: connectorsUsed(d), configured: new Set(configured) },
        });
      expect(gate(['dormitory-system'])).to.deep.equal([
        {
          kind: 'connector',
          node: 'lib',
          connector: 'library-system',
          message: "node 'lib': no business-system connector 'library-system' is configured in this hall",
        },
      ]);
      expect(gate(['dormitory-system', 'library-system'])).to.deep.equal([]);
    });

    it('works end to end with handlerRequirements', () => {
      const d = def(node('counselor', { type: 'role', role: 'counselor', unit: '$applicant.college' }));
      const staffed = new Set(['computer-college', 'academic-affairs']);
      const resolved = handlerRequirements(d, UNITS).map((requirement) => ({
        requirement,
        activeHandlers: requirement.type === 'role' && staffed.has(requirement.unit) ? 1 : 0,
      }));
      const missing = evaluateLaunchGate({
        involvedUnits: ['academic-affairs'],
        confirmedUnits: ['academic-affairs'],
        hasDefinition: true,
        connectors: NO_CONNECTORS,
        resolved,
      });
      expect(missing).to.deep.equal([
        {
          kind: 'handler',
          node: 'counselor',
          unit: 'math-college',
          role: 'counselor',
          message: "node 'counselor': nobody active holds role 'counselor' in unit 'math-college'",
        },
      ]);
    });
  });
});
