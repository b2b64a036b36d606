import { expect } from 'chai';
import { InputError, type FieldProblem } from '../../../src/domain/shared/errors.js';
import {
  nodeByKey,
  startNode,
  successors,
  unitsReferenced,
  type DefinitionReferences,
  type ProcessDefinition,
} from '../../../src/domain/process-definition/process-definition.js';
import { validateProcessDefinition } from '../../../src/domain/process-definition/process-definition.validator.js';

type RawNode = Record<string, unknown>;
interface RawDef {
  form: Record<string, unknown>;
  nodes: RawNode[];
  [member: string]: unknown;
}

const refs: DefinitionReferences = {
  units: new Set(['student-affairs', 'academic-affairs']),
  roles: new Set(['counselor', 'deputy-secretary', 'clerk']),
  people: new Set(Array.from({ length: 60 }, (_, i) => `p${String(i + 1).padStart(3, '0')}`)), // p001..p060
  connectors: new Set(['dormitory-system', 'oa-system']),
};

const form = (): Record<string, unknown> => ({
  type: 'object',
  required: ['reason'],
  properties: { reason: { type: 'string' }, days: { type: 'integer', minimum: 1 }, destination: { type: 'string' } },
});

const twoNodes = (): RawDef => ({
  form: form(),
  nodes: [
    { key: 'apply', name: '申请', kind: 'start' },
    {
      key: 'done',
      name: '办结',
      kind: 'complete',
      handlers: { type: 'people', people: ['p001'] },
      timeLimit: { hours: 24 },
    },
  ],
});

/** start -> counselor approve (role counselor in $applicant.college) -> deputy approve -> complete. */
const leave = (): RawDef => ({
  form: form(),
  nodes: [
    {
      key: 'apply',
      name: '学生申请',
      kind: 'start',
      fields: { visible: ['reason', 'days', 'destination'], editable: ['reason', 'days', 'destination'] },
    },
    {
      key: 'counselor',
      name: '辅导员审批',
      kind: 'approve',
      handlers: { type: 'role', role: 'counselor', unit: '$applicant.college' },
      timeLimit: { workingDays: 2 },
      fields: { visible: ['reason', 'days'] },
    },
    {
      key: 'deputy',
      name: '副书记审批',
      kind: 'approve',
      mode: 'all',
      handlers: { type: 'role', role: 'deputy-secretary', unit: 'student-affairs' },
      timeLimit: { workingDays: 3 },
    },
    {
      key: 'done',
      name: '办结',
      kind: 'complete',
      handlers: { type: 'role', role: 'clerk', unit: 'student-affairs' },
      timeLimit: { hours: 8 },
    },
  ],
});

function node(def: RawDef, i: number): RawNode {
  const n = def.nodes[i];
  if (!n) throw new Error(`no node ${i}`);
  return n;
}

/** A valid chain of `count` nodes: start, (count - 2) reviews, complete. */
function chain(count: number): RawDef {
  const nodes: RawNode[] = [{ key: 'n0', name: 'start', kind: 'start' }];
  for (let i = 1; i < count - 1; i++) {
    nodes.push({
      key: `n${i}`,
      name: `review ${i}`,
      kind: 'review',
      handlers: { type: 'people', people: ['p001'] },
      timeLimit: { hours: 1 },
    });
  }
  nodes.push({
    key: `n${count - 1}`,
    name: 'done',
    kind: 'complete',
    handlers: { type: 'people', people: ['p002'] },
    timeLimit: { hours: 1 },
  });
  return { form: form(), nodes };
}

function valid(input: unknown): ProcessDefinition {
  const result = validateProcessDefinition(input, refs);
  if (!result.ok) expect.fail(`expected valid, got ${JSON.stringify(result.error.problems)}`);
  return result.value;
}

function problems(input: unknown): FieldProblem[] {
  const result = validateProcessDefinition(input, refs);
  if (result.ok) return expect.fail('expected the definition to be invalid');
  expect(result.error).to.be.instanceOf(InputError);
  expect(result.error.code).to.equal('PROCESS_DEFINITION.INVALID');
  expect(result.error.kind).to.equal('input');
  return [...result.error.problems];
}

const paths = (input: unknown): string[] =>
  problems(input)
    .map((p) => p.path)
    .sort();

function expectOnly(input: unknown, path: string, message?: string | RegExp): void {
  const found = problems(input);
  expect(
    found.map((p) => p.path),
    JSON.stringify(found),
  ).to.deep.equal([path]);
  if (typeof message === 'string') expect(found[0]?.message).to.equal(message);
  else if (message) expect(found[0]?.message).to.match(message);
}

describe('process definition', () => {
  describe('valid definitions', () => {
    it('accepts a two-node definition and applies defaults', () => {
      const def = valid(twoNodes());
      expect(def.nodes).to.deep.equal([
        { key: 'apply', name: '申请', kind: 'start' },
        {
          key: 'done',
          name: '办结',
          kind: 'complete',
          handlers: { type: 'people', people: ['p001'] },
          mode: 'any',
          timeLimit: { hours: 24 },
        },
      ]);
      expect(def.form).to.deep.equal(form());
    });

    it('accepts the leave definition: defaults applied, explicit mode kept, fresh copies returned', () => {
      const input = leave();
      const def = valid(input);
      expect(def.nodes.map((n) => n.mode)).to.deep.equal([undefined, 'any', 'all', 'any']);
      expect(def.nodes[0]).to.not.have.property('mode');
      expect(def.nodes[1]).to.deep.equal({
        key: 'counselor',
        name: '辅导员审批',
        kind: 'approve',
        mode: 'any',
        handlers: { type: 'role', role: 'counselor', unit: '$applicant.college' },
        timeLimit: { workingDays: 2 },
        fields: { visible: ['reason', 'days'] },
      });
      (node(input, 1).handlers as Record<string, unknown>).role = 'changed';
      (input.form.properties as Record<string, Record<string, unknown>>).reason!.type = 'number';
      expect(def.nodes[1]?.handlers).to.deep.include({ role: 'counselor' });
      expect(def.form.properties.reason).to.deep.equal({ type: 'string' });
    });

    it('accepts ratio mode with a passRatio of 1, a transfer connector, $applicant.unit and explicit next', () => {
      const def = twoNodes();
      def.nodes.splice(
        1,
        0,
        {
          key: 'vote',
          name: '会议表决',
          kind: 'review',
          mode: 'ratio',
          passRatio: 1,
          next: ['push'],
          handlers: { type: 'role', role: 'counselor', unit: '$applicant.unit' },
          timeLimit: { workingDays: 365 },
        },
        {
          key: 'push',
          name: '转办',
          kind: 'transfer',
          connector: 'oa-system',
          connectorFields: ['reason', 'days'],
          handlers: { type: 'people', people: ['p002', 'p003'] },
          timeLimit: { hours: 8760 },
        },
      );
      const out = valid(def);
      expect(out.nodes[1]).to.include({ mode: 'ratio', passRatio: 1 });
      expect(out.nodes[2]).to.include({ connector: 'oa-system', mode: 'any' });
      expect(out.nodes[2]!.connectorFields).to.deep.equal(['reason', 'days']);
    });

    it('trims node names', () => {
      const def = twoNodes();
      node(def, 0).name = '  申请  ';
      expect(valid(def).nodes[0]?.name).to.equal('申请');
    });
  });

  describe('shape', () => {
    it('rejects a non-object input at the root', () => {
      for (const input of [null, 'x', 42, [twoNodes()]]) expectOnly(input, '', 'must be an object');
    });

    it('requires form and nodes', () => {
      expect(paths({})).to.deep.equal(['/form', '/nodes']);
      expect(problems({}).every((p) => p.message === 'is required')).to.equal(true);
    });

    it('reports unknown properties at the top level, on nodes, handlers, fields and timeLimit', () => {
      const def = leave();
      def.version = 2;
      node(def, 1).colour = 'red';
      (node(def, 1).handlers as Record<string, unknown>).people = ['p001'];
      (node(def, 1).fields as Record<string, unknown>).hidden = [];
      (node(def, 2).timeLimit as Record<string, unknown>).minutes = 5;
      const found = problems(def);
      expect(found.map((p) => p.path).sort()).to.deep.equal([
        '/nodes/1/colour',
        '/nodes/1/fields/hidden',
        '/nodes/1/handlers/people',
        '/nodes/2/timeLimit/minutes',
        '/version',
      ]);
      expect(found.every((p) => p.message === 'unknown property')).to.equal(true);
    });

    it('escapes unknown property names as JSON-pointer tokens', () => {
      const def = twoNodes();
      def['a/b~c'] = 1;
      expectOnly(def, '/a~1b~0c', 'unknown property');
    });

    it('checks the form outline', () => {
      expectOnly({ ...twoNodes(), form: [] }, '/form', 'must be an object');
      expectOnly({ ...twoNodes(), form: { ...form(), type: 'array' } }, '/form/type', "must be 'object'");
      expectOnly({ ...twoNodes(), form: { type: 'object' } }, '/form/properties', 'is required');
      expectOnly({ ...twoNodes(), form: { type: 'object', properties: [] } }, '/form/properties', 'must be an object');
      expectOnly({ ...twoNodes(), form: { type: 'object', properties: { a: 'string' } } }, '/form/properties/a');
    });

    it('requires nodes to be an array of 2 to 100 objects', () => {
      expectOnly({ ...twoNodes(), nodes: {} }, '/nodes', 'must be an array');
      expectOnly(chain(101), '/nodes', 'must have 2 to 100 nodes');
      valid(chain(100));
      const one = { form: form(), nodes: [{ key: 'only', name: 'x', kind: 'start' }] };
      expect(
        problems(one)
          .filter((p) => p.path === '/nodes')
          .map((p) => p.message),
      ).to.include('must have 2 to 100 nodes');
      const def = leave();
      def.nodes[1] = 'counselor' as unknown as RawNode;
      expectOnly(def, '/nodes/1', 'must be an object');
    });

    it('requires a well-formed key', () => {
      const cases: Array<[unknown, string]> = [
        [undefined, 'is required'],
        [7, 'must be a string'],
      ];
      for (const [key, message] of cases) {
        const def = twoNodes();
        node(def, 1).key = key;
        expectOnly(def, '/nodes/1/key', message);
      }
      for (const key of ['Done', '1done', '', 'done!', `d${'x'.repeat(40)}`]) {
        const def = twoNodes();
        node(def, 1).key = key;
        expectOnly(def, '/nodes/1/key', /lowercase letter/);
      }
      const def = twoNodes();
      node(def, 1).key = `d${'x_-9'.repeat(9)}abc`; // 40 characters
      valid(def);
    });

    it('requires a non-blank name of at most 100 characters', () => {
      const cases: Array<[unknown, string]> = [
        [undefined, 'is required'],
        [3, 'must be a string'],
        ['   ', 'must not be blank'],
        ['x'.repeat(101), 'must be at most 100 characters'],
      ];
      for (const [name, message] of cases) {
        const def = twoNodes();
        node(def, 1).name = name;
        expectOnly(def, '/nodes/1/name', message);
      }
      const def = twoNodes();
      node(def, 1).name = 'x'.repeat(100);
      valid(def);
    });

    it('requires a known kind', () => {
      const def = leave();
      node(def, 1).kind = 'audit';
      expectOnly(def, '/nodes/1/kind', /must be one of 'start', 'review'/);
    });

    it('requires handlers on non-start nodes and forbids them on the start node', () => {
      const def = leave();
      delete node(def, 2).handlers;
      node(def, 0).handlers = { type: 'people', people: ['p001'] };
      const found = problems(def);
      expect(found).to.have.deep.members([
        { path: '/nodes/0/handlers', message: 'is not allowed on a start node' },
        { path: '/nodes/2/handlers', message: 'is required' },
      ]);
    });

    it('checks the handler rule shape', () => {
      const set = (handlers: unknown): RawDef => {
        const d = twoNodes();
        node(d, 1).handlers = handlers;
        return d;
      };
      expectOnly(set('p001'), '/nodes/1/handlers', 'must be an object');
      expectOnly(set({ people: ['p001'] }), '/nodes/1/handlers/type', 'is required');
      expectOnly(set({ type: 'group' }), '/nodes/1/handlers/type', "must be one of 'role', 'people'");
      expect(paths(set({ type: 'role' }))).to.deep.equal(['/nodes/1/handlers/role', '/nodes/1/handlers/unit']);
      expectOnly(
        set({ type: 'role', role: '', unit: 'student-affairs' }),
        '/nodes/1/handlers/role',
        'must be a non-empty string',
      );
      expectOnly(set({ type: 'people', people: [] }), '/nodes/1/handlers/people', 'must list 1 to 50 person ids');
      expectOnly(set({ type: 'people', people: 'p001' }), '/nodes/1/handlers/people', 'must be an array');
      const people = (n: number): string[] => Array.from({ length: n }, (_, i) => `p${String(i + 1).padStart(3, '0')}`);
      expectOnly(
        set({ type: 'people', people: people(51) }),
        '/nodes/1/handlers/people',
        'must list 1 to 50 person ids',
      );
      valid(set({ type: 'people', people: people(50) }));
      expectOnly(
        set({ type: 'people', people: ['p001', 'p002', 'p001'] }),
        '/nodes/1/handlers/people/2',
        "duplicate person 'p001'",
      );
      expectOnly(
        set({ type: 'people', people: ['p001', 5] }),
        '/nodes/1/handlers/people/1',
        'must be a non-empty string',
      );
    });

    it('checks mode: known value, forbidden on start', () => {
      const def = leave();
      node(def, 0).mode = 'any';
      node(def, 1).mode = 'majority';
      const found = problems(def);
      expect(found).to.have.deep.members([
        { path: '/nodes/0/mode', message: 'is not allowed on a start node' },
        { path: '/nodes/1/mode', message: "must be one of 'any', 'all', 'sequential', 'ratio'" },
      ]);
    });

    it('requires passRatio iff mode is ratio, within (0, 1]', () => {
      const set = (mode: unknown, passRatio: unknown): RawDef => {
        const d = leave();
        Object.assign(node(d, 2), { mode, passRatio });
        return d;
      };
      expectOnly(set('ratio', undefined), '/nodes/2/passRatio', "is required when mode is 'ratio'");
      for (const bad of [0, -0.5, 1.5, '0.5', Number.NaN])
        expectOnly(set('ratio', bad), '/nodes/2/passRatio', /greater than 0/);
      expectOnly(set('all', 0.5), '/nodes/2/passRatio', "is allowed only when mode is 'ratio'");
      expectOnly(set(undefined, 0.5), '/nodes/2/passRatio', "is allowed only when mode is 'ratio'");
      expect(valid(set('ratio', 0.6)).nodes[2]).to.include({ mode: 'ratio', passRatio: 0.6 });
      const start = leave();
      node(start, 0).passRatio = 0.5;
      expectOnly(start, '/nodes/0/passRatio', 'is not allowed on a start node');
    });

    it('requires a timeLimit with exactly one integer key on non-start nodes, forbidden on start', () => {
      const set = (timeLimit: unknown): RawDef => {
        const d = twoNodes();
        node(d, 1).timeLimit = timeLimit;
        return d;
      };
      expectOnly(set(undefined), '/nodes/1/timeLimit', 'is required');
      expectOnly(set(24), '/nodes/1/timeLimit', 'must be an object');
      expectOnly(set({}), '/nodes/1/timeLimit', 'must have exactly one of workingDays or hours');
      expectOnly(
        set({ workingDays: 1, hours: 2 }),
        '/nodes/1/timeLimit',
        'must have exactly one of workingDays or hours',
      );
      for (const bad of [0, 366, 1.5, '3'])
        expectOnly(set({ workingDays: bad }), '/nodes/1/timeLimit/workingDays', 'must be an integer from 1 to 365');
      for (const bad of [0, 8761, 2.5])
        expectOnly(set({ hours: bad }), '/nodes/1/timeLimit/hours', 'must be an integer from 1 to 8760');
      valid(set({ workingDays: 1 }));
      const start = twoNodes();
      node(start, 0).timeLimit = { hours: 1 };
      expectOnly(start, '/nodes/0/timeLimit', 'is not allowed on a start node');
    });

    it('checks next is an array of strings', () => {
      const def = leave();
      node(def, 1).next = 'deputy';
      node(def, 2).next = ['done', 3];
      expect(paths(def)).to.deep.equal(['/nodes/1/next', '/nodes/2/next/1']);
    });

    it('allows a connector only on transfer nodes, with a well-formed id', () => {
      const def = leave();
      node(def, 1).connector = 'oa';
      expectOnly(def, '/nodes/1/connector', 'is allowed only on transfer nodes');
      const transfer = leave();
      Object.assign(node(transfer, 2), { kind: 'transfer', connector: 'OA_system', connectorFields: [] });
      expectOnly(transfer, '/nodes/2/connector', /lowercase letter/);
      node(transfer, 2).connector = 'oa-system';
      valid(transfer);
    });

    it('refuses a connector this hall has not configured, naming the ones it has', () => {
      const def = leave();
      Object.assign(node(def, 2), { kind: 'transfer', connector: 'library-system', connectorFields: [] });
      expectOnly(
        def,
        '/nodes/2/connector',
        "no business-system connector 'library-system' is configured in this hall (configured: dormitory-system, oa-system)",
      );
    });

    it('makes a connector name the form fields its system receives: form properties, each once, only with a connector', () => {
      const def = leave();
      Object.assign(node(def, 2), { kind: 'transfer', connector: 'oa-system' });
      expectOnly(def, '/nodes/2/connectorFields', /is required with a connector/);
      node(def, 2).connectorFields = ['reason', 'bank_account', 'reason', 7];
      expect(problems(def).map((p) => [p.path, p.message])).to.deep.equal([
        ['/nodes/2/connectorFields/1', "field 'bank_account' is not a property of the form"],
        ['/nodes/2/connectorFields/2', "field 'reason' is named twice"],
        ['/nodes/2/connectorFields/3', 'must be a string'],
      ]);
      const plain = leave();
      node(plain, 1).connectorFields = ['reason'];
      expectOnly(plain, '/nodes/1/connectorFields', 'is allowed only with a connector');
    });

    it('keeps printable (true or false, on any kind of node) and refuses anything else', () => {
      const def = leave();
      node(def, 0).printable = true;
      node(def, 1).printable = false;
      node(def, 3).printable = true;
      expect(valid(def).nodes.map((n) => n.printable)).to.deep.equal([true, false, undefined, true]);
      node(def, 2).printable = 'yes';
      expectOnly(def, '/nodes/2/printable', 'must be true or false');
    });

    it('keeps onTimeout ({action}) on nodes with a time limit; approve/reject only on review and approve nodes', () => {
      const def = leave();
      node(def, 1).onTimeout = { action: 'approve' };
      node(def, 2).onTimeout = { action: 'reject' };
      node(def, 3).onTimeout = { action: 'escalate' };
      expect(valid(def).nodes.map((n) => n.onTimeout)).to.deep.equal([
        undefined,
        { action: 'approve' },
        { action: 'reject' },
        { action: 'escalate' },
      ]);
      node(def, 3).onTimeout = { action: 'remind' };
      valid(def);
      node(def, 3).onTimeout = { action: 'approve' };
      expectOnly(def, '/nodes/3/onTimeout/action', /allowed only on review and approve nodes/);
      node(def, 3).onTimeout = { action: 'reject' };
      expectOnly(def, '/nodes/3/onTimeout/action', /allowed only on review and approve nodes/);
    });

    it('refuses onTimeout on a start node, not an object, without or with an unknown action, or with other members', () => {
      const cases: Array<[number, unknown, string]> = [
        [0, { action: 'approve' }, '/nodes/0/onTimeout'],
        [1, 'approve', '/nodes/1/onTimeout'],
        [1, {}, '/nodes/1/onTimeout/action'],
        [1, { action: 'wait' }, '/nodes/1/onTimeout/action'],
        [1, { action: 'approve', after: 3 }, '/nodes/1/onTimeout/after'],
      ];
      for (const [i, value, path] of cases) {
        const def = leave();
        node(def, i).onTimeout = value;
        expectOnly(def, path);
      }
      const def = leave();
      node(def, 1).onTimeout = { action: 'wait' };
      expectOnly(def, '/nodes/1/onTimeout/action', "must be one of 'remind', 'approve', 'reject', 'escalate'");
    });

    it('refuses approve/reject on a transfer node: its work is not done by a clock', () => {
      const def = leave();
      node(def, 2).kind = 'transfer';
      node(def, 2).mode = 'any';
      node(def, 2).onTimeout = { action: 'approve' };
      expectOnly(def, '/nodes/2/onTimeout/action', /a transfer node's work is not done by a clock/);
      node(def, 2).onTimeout = { action: 'escalate' };
      valid(def);
    });

    it('requires field names to be form properties, and editable ones to be visible', () => {
      const def = leave();
      node(def, 0).fields = { visible: ['reason', 'phone'], editable: ['reason', 'days', 'email'] };
      const found = problems(def);
      expect(found).to.have.deep.members([
        { path: '/nodes/0/fields/visible/1', message: "field 'phone' is not a property of the form" },
        { path: '/nodes/0/fields/editable/1', message: "field 'days' is editable but not visible" },
        { path: '/nodes/0/fields/editable/2', message: "field 'email' is not a property of the form" },
      ]);
      expect(found).to.have.length(3);
      const shape = leave();
      node(shape, 1).fields = { visible: 'reason', editable: [1] };
      expect(paths(shape)).to.deep.equal(['/nodes/1/fields/editable/0', '/nodes/1/fields/visible']);
      node(shape, 1).fields = { editable: ['days'] }; // no visible list: everything is visible
      valid(shape);
    });
  });

  describe('graph', () => {
    it('requires a start node', () => {
      const def = leave();
      node(def, 0).kind = 'review';
      Object.assign(node(def, 0), { handlers: { type: 'people', people: ['p001'] }, timeLimit: { hours: 1 } });
      expectOnly(def, '/nodes', 'must have a start node');
    });

    it('reports each extra start node at its kind', () => {
      const def = leave();
      for (const i of [1, 2]) node(def, i).kind = 'start';
      for (const i of [1, 2])
        for (const member of ['handlers', 'timeLimit', 'fields', 'mode']) delete node(def, i)[member];
      const found = problems(def);
      expect(found).to.deep.equal([
        { path: '/nodes/1/kind', message: 'only one start node is allowed' },
        { path: '/nodes/2/kind', message: 'only one start node is allowed' },
      ]);
    });

    it('requires a complete node', () => {
      const def = leave();
      node(def, 3).kind = 'approve';
      node(def, 3).next = ['deputy'];
      const found = problems(def);
      expect(found.map((p) => p.path)).to.include('/nodes');
      expect(found.find((p) => p.path === '/nodes')?.message).to.equal('must have at least one complete node');
    });

    it('reports each duplicate key without a cascade of graph problems', () => {
      const def = leave();
      node(def, 2).key = 'counselor';
      node(def, 3).key = 'counselor';
      expect(problems(def)).to.deep.equal([
        { path: '/nodes/2/key', message: "duplicate key 'counselor'" },
        { path: '/nodes/3/key', message: "duplicate key 'counselor'" },
      ]);
    });

    it('does not cascade from a malformed key referenced by next', () => {
      const def = leave();
      node(def, 2).key = 'Deputy';
      node(def, 1).next = ['Deputy'];
      expectOnly(def, '/nodes/2/key');
    });

    it('requires next entries to name another existing node, once', () => {
      const def = leave();
      node(def, 1).next = ['deputy', 'dean', 'counselor', 'deputy'];
      expect(problems(def)).to.deep.equal([
        { path: '/nodes/1/next/1', message: "no node has key 'dean'" },
        { path: '/nodes/1/next/2', message: 'a node cannot follow itself' },
        { path: '/nodes/1/next/3', message: "duplicate successor 'deputy'" },
      ]);
    });

    it('requires a successor on every non-complete node', () => {
      const lastNotComplete = leave();
      lastNotComplete.nodes.push({
        key: 'archive',
        name: '归档',
        kind: 'review',
        handlers: { type: 'people', people: ['p001'] },
        timeLimit: { hours: 1 },
      });
      node(lastNotComplete, 2).next = ['done', 'archive'];
      expectOnly(
        lastNotComplete,
        '/nodes/4',
        "node 'archive' has no successor: only a complete node may end the process",
      );
      const empty = leave();
      node(empty, 2).next = [];
      expect(paths(empty)).to.deep.equal(['/nodes/2', '/nodes/3']); // and 'done' is no longer reachable
      expect(problems(empty).find((p) => p.path === '/nodes/2')?.message).to.match(/has no successor/);
    });

    it('forbids next on a complete node', () => {
      const def = leave();
      node(def, 3).next = ['apply'];
      expectOnly(def, '/nodes/3/next', 'is not allowed on a complete node: it ends the process');
      node(def, 3).next = [];
      expectOnly(def, '/nodes/3/next');
    });

    it('does not let a complete node fall through to the next node in order', () => {
      const def = leave();
      node(def, 1).next = ['done', 'deputy'];
      def.nodes.push(def.nodes.splice(2, 1)[0]!); // order: apply, counselor, done, deputy
      node(def, 3).next = ['done'];
      valid(def);
      node(def, 1).next = ['done'];
      expectOnly(def, '/nodes/3', "node 'deputy' is not reachable from the start node");
    });

    it('requires every node to be reachable from the start node', () => {
      const def = leave();
      node(def, 0).next = ['deputy'];
      expectOnly(def, '/nodes/1', "node 'counselor' is not reachable from the start node");
    });

    it('forbids cycles and names the keys in the cycle', () => {
      const def = leave();
      node(def, 2).next = ['done', 'counselor'];
      expectOnly(def, '/nodes/2/next', 'the nodes form a cycle: counselor -> deputy -> counselor');
      const three = leave();
      node(three, 1).next = ['deputy'];
      node(three, 2).next = ['apply', 'done'];
      expectOnly(three, '/nodes/2/next', 'the nodes form a cycle: apply -> counselor -> deputy -> apply');
    });

    it('reports a cycle among nodes unreachable from the start', () => {
      const def = leave();
      node(def, 0).next = ['done'];
      node(def, 2).next = ['counselor'];
      expect(paths(def)).to.deep.equal(['/nodes/1', '/nodes/2', '/nodes/2/next']);
    });
  });

  describe('gateways', () => {
    const review = (key: string, next: string[]): RawNode => ({
      key,
      name: key,
      kind: 'review',
      handlers: { type: 'people', people: ['p001'] },
      timeLimit: { workingDays: 1 },
      next,
    });
    /** apply -> fork -> (a | b) -> join -> done */
    const branched = (
      fork: RawNode,
      join: RawNode = { key: 'join', name: '汇合', kind: fork.kind, next: ['done'] },
    ): RawDef => ({
      form: form(),
      nodes: [
        { key: 'apply', name: '申请', kind: 'start', next: ['fork'] },
        fork,
        review('a', ['join']),
        review('b', ['join']),
        join,
        {
          key: 'done',
          name: '办结',
          kind: 'complete',
          handlers: { type: 'people', people: ['p001'] },
          timeLimit: { hours: 8 },
        },
      ],
    });

    it('accepts parallel, inclusive and exclusive gateways, keeping conditions and default as given, adding no mode', () => {
      const par = valid(branched({ key: 'fork', name: '并行', kind: 'parallel', next: ['a', 'b'] }));
      expect(nodeByKey(par, 'fork')).to.deep.equal({ key: 'fork', name: '并行', kind: 'parallel', next: ['a', 'b'] });
      const cond = { '>': [{ var: 'form.days' }, 3] };
      const inc = valid(
        branched({ key: 'fork', name: '包容', kind: 'inclusive', next: ['a', 'b'], conditions: { a: cond } }),
      );
      expect(nodeByKey(inc, 'fork')?.conditions).to.deep.equal({ a: cond });
      const exc = valid(
        branched({
          key: 'fork',
          name: '排他',
          kind: 'exclusive',
          next: ['a', 'b'],
          conditions: { a: cond },
          default: 'b',
        }),
      );
      expect(nodeByKey(exc, 'fork')?.default).to.equal('b');
    });

    it('refuses handler members on a gateway, conditions on a parallel one, and names each', () => {
      expect(
        paths(
          branched({
            key: 'fork',
            name: '并行',
            kind: 'parallel',
            next: ['a', 'b'],
            handlers: { type: 'people', people: ['p001'] },
            timeLimit: { hours: 1 },
            conditions: { a: { '==': [1, 1] } },
          }),
        ),
      ).to.deep.equal(['/nodes/1/conditions', '/nodes/1/handlers', '/nodes/1/timeLimit']);
    });

    it('refuses a condition on a flow not named in next, a bad condition, and a default that is conditioned', () => {
      expect(
        paths(
          branched({
            key: 'fork',
            name: '排他',
            kind: 'exclusive',
            next: ['a', 'b'],
            conditions: { a: { '>': [{ var: 'form.nothing' }, 1] }, c: { '==': [1, 1] }, b: { '==': [1, 1] } },
            default: 'b',
          }),
        ),
      ).to.deep.equal(['/nodes/1/conditions/a/>/0/var', '/nodes/1/conditions/c', '/nodes/1/default']);
    });

    it('needs a default when every outgoing flow has a condition', () => {
      expectOnly(
        branched({
          key: 'fork',
          name: '排他',
          kind: 'exclusive',
          next: ['a', 'b'],
          conditions: { a: { '==': [1, 1] }, b: { '==': [1, 2] } },
        }),
        '/nodes/1/default',
        /is required when every outgoing flow has a condition/,
      );
    });

    it('refuses conditions and default on a step, where the node condition is the way', () => {
      const def = leave();
      def.nodes[1] = { ...def.nodes[1], conditions: {}, default: 'x' };
      expect(paths(def)).to.deep.equal(['/nodes/1/conditions', '/nodes/1/default']);
    });

    it('a gateway is not an end: one with no successor is a dead end', () => {
      const def = branched({ key: 'fork', name: '并行', kind: 'parallel', next: ['a', 'b'] });
      def.nodes[4] = { key: 'join', name: '汇合', kind: 'parallel', next: [] };
      expect(paths(def)).to.include('/nodes/4');
    });
  });

  describe('references', () => {
    it('requires the role to exist', () => {
      const def = leave();
      (node(def, 2).handlers as Record<string, unknown>).role = 'dean';
      expectOnly(def, '/nodes/2/handlers/role', "role 'dean' does not exist");
    });

    it('requires the unit to exist or be an applicant placeholder', () => {
      const def = leave();
      (node(def, 2).handlers as Record<string, unknown>).unit = 'library';
      expectOnly(def, '/nodes/2/handlers/unit', "unit 'library' does not exist");
      (node(def, 2).handlers as Record<string, unknown>).unit = '$applicant.unit';
      valid(def);
      (node(def, 2).handlers as Record<string, unknown>).unit = '$applicant.dorm';
      expectOnly(def, '/nodes/2/handlers/unit', "unit '$applicant.dorm' does not exist");
    });

    it('requires each person to exist', () => {
      const def = twoNodes();
      node(def, 1).handlers = { type: 'people', people: ['p001', 'p404', 'p002', 'x405'] };
      expect(problems(def)).to.deep.equal([
        { path: '/nodes/1/handlers/people/1', message: "person 'p404' does not exist" },
        { path: '/nodes/1/handlers/people/3', message: "person 'x405' does not exist" },
      ]);
    });
  });

  it('reports many simultaneous problems at once', () => {
    const def = leave();
    def.owner = 'me';
    def.form.type = 'array';
    Object.assign(node(def, 0), { mode: 'all', fields: { visible: ['reason'], editable: ['days'] } });
    Object.assign(node(def, 1), {
      colour: 'blue',
      timeLimit: { workingDays: 0 },
      connector: 'oa',
      next: ['deputy', 'nowhere'],
    });
    Object.assign(node(def, 2), {
      handlers: { type: 'role', role: 'dean', unit: 'library' },
      mode: 'ratio',
      next: ['counselor', 'done'],
    });
    def.nodes.push(
      {
        key: 'orphan',
        name: ' ',
        kind: 'review',
        handlers: { type: 'people', people: ['p001', 'ghost'] },
        timeLimit: { hours: 1 },
        next: ['done'],
      },
      {
        key: 'Bad',
        name: 'bad',
        kind: 'complete',
        handlers: { type: 'people', people: ['p001'] },
        timeLimit: { hours: 1 },
      },
    );
    expect(paths(def)).to.deep.equal([
      '/form/type',
      '/nodes/0/fields/editable/0',
      '/nodes/0/mode',
      '/nodes/1/colour',
      '/nodes/1/connector',
      '/nodes/1/next/1',
      '/nodes/1/timeLimit/workingDays',
      '/nodes/2/handlers/role',
      '/nodes/2/handlers/unit',
      '/nodes/2/next',
      '/nodes/2/passRatio',
      '/nodes/4',
      '/nodes/4/handlers/people/1',
      '/nodes/4/name',
      '/nodes/5/key',
      '/owner',
    ]);
  });

  describe('helpers', () => {
    it('finds the start node and nodes by key', () => {
      const def = valid(leave());
      expect(startNode(def).key).to.equal('apply');
      expect(nodeByKey(def, 'deputy')?.name).to.equal('副书记审批');
      expect(nodeByKey(def, 'nope')).to.equal(undefined);
      expect(() => startNode({ form: def.form, nodes: def.nodes.slice(1) })).to.throw(/no start node/);
    });

    it('gives implicit successors in array order and none after a complete node', () => {
      const def = valid(leave());
      expect(successors(def, 'apply')).to.deep.equal(['counselor']);
      expect(successors(def, 'counselor')).to.deep.equal(['deputy']);
      expect(successors(def, 'deputy')).to.deep.equal(['done']);
      expect(successors(def, 'done')).to.deep.equal([]);
      expect(() => successors(def, 'nope')).to.throw(/no node 'nope'/);
    });

    it('gives explicit successors when next is set, skipping a complete node in between', () => {
      const input = leave();
      input.nodes.splice(3, 0, {
        key: 'rejected',
        name: '不予批准',
        kind: 'complete',
        handlers: { type: 'people', people: ['p001'] },
        timeLimit: { hours: 1 },
      });
      node(input, 1).next = ['deputy', 'rejected'];
      node(input, 2).next = ['done', 'rejected'];
      const def = valid(input);
      expect(successors(def, 'counselor')).to.deep.equal(['deputy', 'rejected']);
      expect(successors(def, 'deputy')).to.deep.equal(['done', 'rejected']);
      expect(successors(def, 'rejected')).to.deep.equal([]);
      const list = successors(def, 'counselor');
      list.push('x');
      expect(def.nodes[1]?.next).to.deep.equal(['deputy', 'rejected']);
    });

    it('lists the concrete units referenced by role rules', () => {
      const input = leave();
      node(input, 1).handlers = { type: 'role', role: 'counselor', unit: 'academic-affairs' };
      expect(unitsReferenced(valid(input))).to.deep.equal(['academic-affairs', 'student-affairs']);
      expect(unitsReferenced(valid(leave()))).to.deep.equal(['student-affairs']);
      expect(unitsReferenced(valid(twoNodes()))).to.deep.equal([]);
    });
  });
});
