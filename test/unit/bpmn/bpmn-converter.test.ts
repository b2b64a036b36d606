import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { definitionOf } from '../../../src/adapters/driving/seed/demo-seed.js';
import { ModdleBpmnConverter } from '../../../src/adapters/driven/bpmn/moddle-bpmn-converter.js';
import { hallModdle } from '../../../src/adapters/driven/bpmn/hall-moddle.js';
import { juelToJsonLogic } from '../../../src/adapters/driven/bpmn/juel.js';
import { validateProcessDefinition } from '../../../src/domain/process-definition/process-definition.validator.js';
import type {
  DefinitionReferences,
  ProcessDefinition,
} from '../../../src/domain/process-definition/process-definition.js';
import type { BpmnReading } from '../../../src/application/ports/bpmn.port.js';

const catalogue = JSON.parse(readFileSync(new URL('../../../seeds/demo-catalogue.json', import.meta.url), 'utf8')) as {
  service_items: Array<{ code: string; name: string }>;
};
const camunda = readFileSync(new URL('../../fixtures/bpmn/camunda-reimbursement.bpmn', import.meta.url), 'utf8');
const anything: ReadonlySet<string> = { has: () => true } as unknown as ReadonlySet<string>;
const refs: DefinitionReferences = { units: anything, roles: anything, people: anything, connectors: anything };
const converter = new ModdleBpmnConverter();

function valid(input: unknown): ProcessDefinition {
  const r = validateProcessDefinition(input, refs);
  if (!r.ok) throw new Error(JSON.stringify(r.error.problems));
  return r.value;
}
function draftOf(reading: BpmnReading) {
  if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
  return reading.draft;
}
function problemsOf(reading: BpmnReading) {
  if (reading.ok) throw new Error('expected problems');
  return reading.problems;
}
const paths = (reading: BpmnReading) => problemsOf(reading).map((p) => p.path);

/** A process around `body`, in the namespaces a drawing tool writes. */
const bpmn = (body: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:hall="https://service-hall.example/bpmn" id="D1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="P1" isExecutable="true">${body}</bpmn:process>${extra}
</bpmn:definitions>`;
const simple = (middle = '', from = 'T1') => `
  <bpmn:startEvent id="S" />
  <bpmn:userTask id="T1" name="审核" hall:timeLimit="2d" camunda:candidateGroups="handler:finance" />
  <bpmn:userTask id="T2" name="办结" hall:timeLimit="1d" camunda:assignee="T0302" />
  <bpmn:endEvent id="E" />
  <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T1" />
  <bpmn:sequenceFlow id="f2" sourceRef="${from}" targetRef="T2" />
  <bpmn:sequenceFlow id="f3" sourceRef="T2" targetRef="E" />${middle}`;

describe('BPMN 2.0 import and export of process definitions (bpmn-moddle adapter)', () => {
  describe('round trip', () => {
    for (const item of catalogue.service_items) {
      it(`${item.code}: the demo definition exported and imported back is the same definition`, async () => {
        const original = valid(definitionOf(item as never, new Set(['dormitory-system', 'dorm-system'])));
        const xml = await converter.toBpmn(original, { name: item.name });
        const back = valid(draftOf(await converter.fromBpmn(xml, {})).definition);
        expect(back).to.deep.equal(original);
      });
    }

    it('every countersign mode, node condition and gateway condition survives, and members BPMN does not know ride in hall:step', async () => {
      const def = valid({
        form: { type: 'object', properties: { amount: { type: 'number' } } },
        nodes: [
          { key: 'apply', kind: 'start', name: '申请', fields: { visible: ['amount'] } },
          {
            key: 'route',
            kind: 'inclusive',
            name: '分流',
            next: ['all', 'seq'],
            conditions: { all: { '>': [{ var: 'form.amount' }, 5] } },
            default: 'seq',
          },
          {
            key: 'all',
            kind: 'approve',
            name: '会签',
            handlers: { type: 'people', people: ['A', 'B'] },
            mode: 'all',
            timeLimit: { hours: 4 },
            next: ['ratio'],
          },
          {
            key: 'seq',
            kind: 'review',
            name: '依次',
            handlers: { type: 'people', people: ['A', 'B'] },
            mode: 'sequential',
            timeLimit: { workingDays: 1 },
            condition: { '==': [{ var: 'applicant.type' }, 'student'] },
            printable: true,
          },
          {
            key: 'ratio',
            kind: 'transfer',
            name: '比例',
            handlers: { type: 'role', role: 'handler', unit: '$applicant.unit' },
            mode: 'ratio',
            passRatio: 0.6,
            timeLimit: { workingDays: 2 },
            connector: 'dorm',
            connectorFields: ['amount'],
            whenApplicantIsApprover: 'skip-node',
            autoPassSameApprover: true,
          },
          {
            key: 'done',
            kind: 'complete',
            name: '办结',
            handlers: { type: 'people', people: ['A'] },
            timeLimit: { workingDays: 1 },
          },
        ],
      });
      const xml = await converter.toBpmn(def, { name: 'x' });
      expect(xml).to.include('<bpmn:multiInstanceLoopCharacteristics isSequential="true"');
      expect(xml).to.include('${nrOfCompletedInstances / nrOfInstances &gt;= 0.6}');
      expect(xml).to.include('language="application/json+logic"');
      expect(valid(draftOf(await converter.fromBpmn(xml, {})).definition)).to.deep.equal(def);

      // a member the hall adds later (e.g. onTimeout) round-trips without code changes
      const later = {
        ...def,
        nodes: def.nodes.map((n) => (n.key === 'all' ? { ...n, onTimeout: { action: 'escalate' } } : n)),
      };
      const again = draftOf(
        await converter.fromBpmn(await converter.toBpmn(later as ProcessDefinition, { name: 'x' }), {}),
      );
      expect(again.definition.nodes.find((n) => n.key === 'all')).to.deep.include({
        onTimeout: { action: 'escalate' },
      });
    });

    it('an export opens in bpmn.io: bpmn-moddle reads it without warnings, every flow node has a shape and every flow an edge', async () => {
      const hq = catalogue.service_items.find((i) => i.code === 'HQ-TS')!;
      const xml = await converter.toBpmn(valid(definitionOf(hq as never, new Set())), { name: hq.name });
      const { rootElement, warnings } = await hallModdle().fromXML(xml);
      expect(warnings).to.deep.equal([]);
      const process = (
        rootElement.rootElements as Array<{ $type: string; flowElements: Array<{ $type: string; id: string }> }>
      )[0]!;
      const plane = (
        rootElement.diagrams as Array<{
          plane: {
            planeElement: Array<{ $type: string; bpmnElement: { id: string }; bounds?: object; waypoint?: unknown[] }>;
          };
        }>
      )[0]!.plane;
      const drawn = new Map(plane.planeElement.map((d) => [d.bpmnElement.id, d]));
      const flows = process.flowElements.filter((e) => e.$type === 'bpmn:SequenceFlow');
      const nodes = process.flowElements.filter((e) => e.$type !== 'bpmn:SequenceFlow');
      expect(nodes.map((n) => n.$type)).to.include.members([
        'bpmn:StartEvent',
        'bpmn:ParallelGateway',
        'bpmn:UserTask',
        'bpmn:EndEvent',
      ]);
      for (const n of nodes)
        expect(drawn.get(n.id), n.id).to.include({ $type: 'bpmndi:BPMNShape' }).and.have.property('bounds');
      for (const f of flows) {
        expect(drawn.get(f.id), f.id).to.include({ $type: 'bpmndi:BPMNEdge' });
        expect(drawn.get(f.id)!.waypoint).to.have.length.of.at.least(2);
      }
    });
  });

  describe('a file drawn in Camunda Modeler', () => {
    it('maps candidate groups and users, the multi-instance countersign, both gateways, the JUEL condition and the default flow', async () => {
      const draft = draftOf(await converter.fromBpmn(camunda, { defaultTimeLimit: { workingDays: 3 } }));
      expect(draft.definition.form).to.equal(undefined);
      expect(draft.elementIds[0]).to.equal('StartEvent_1');
      const limit = { timeLimit: { workingDays: 3 } };
      expect(draft.definition.nodes).to.deep.equal([
        { key: 'startevent_1', name: '提交申请', kind: 'start' },
        {
          key: 'activity_0x1y2z3',
          name: '财务初审',
          kind: 'approve',
          handlers: { type: 'role', role: 'handler', unit: 'finance' },
          ...limit,
        },
        {
          key: 'gateway_1k3j5h7',
          name: '同时复核与会签',
          kind: 'parallel',
          next: ['activity_1a2b3c4', 'activity_0d9e8f7'],
        },
        {
          key: 'activity_1a2b3c4',
          name: '财务复核',
          kind: 'approve',
          handlers: { type: 'people', people: ['T0302'] },
          ...limit,
          next: ['gateway_0p9o8i7'],
        },
        {
          key: 'activity_0d9e8f7',
          name: '教务会签',
          kind: 'approve',
          handlers: { type: 'people', people: ['T0101', 'T0102'] },
          ...limit,
          mode: 'all',
        },
        { key: 'gateway_0p9o8i7', name: '复核与会签均完成', kind: 'parallel' },
        {
          key: 'gateway_1f2g3h4',
          name: '金额超过1000元？',
          kind: 'exclusive',
          conditions: {
            activity_2hi3jk4: {
              and: [{ '>': [{ var: 'form.amount' }, 1000] }, { '==': [{ var: 'applicant.type' }, 'student'] }],
            },
          },
          default: 'activity_3l4m5n6',
          next: ['activity_2hi3jk4', 'activity_3l4m5n6'],
        },
        {
          key: 'activity_2hi3jk4',
          name: '教务处审批',
          kind: 'approve',
          handlers: { type: 'role', role: 'handler', unit: 'academic-affairs' },
          ...limit,
        },
        {
          key: 'activity_3l4m5n6',
          name: '办结',
          kind: 'complete',
          handlers: { type: 'people', people: ['T0302'] },
          ...limit,
        },
      ]);
      valid({ ...draft.definition, form: { type: 'object', properties: { amount: { type: 'number' } } } });
    });

    it('without hall:timeLimit and without a defaultTimeLimit, every task is named', async () => {
      const problems = problemsOf(await converter.fromBpmn(camunda, {}));
      expect(problems.map((p) => p.path)).to.deep.equal(
        ['Activity_0x1y2z3', 'Activity_1a2b3c4', 'Activity_0d9e8f7', 'Activity_2hi3jk4', 'Activity_3l4m5n6'].map(
          (id) => `/bpmn/${id}/timeLimit`,
        ),
      );
    });
  });

  describe('refusals: every unsupported element named, all at once', () => {
    it('boundary and intermediate events, timer start, subprocess, call activity, service and script tasks, event-based and complex gateways, a second process', async () => {
      const xml = bpmn(
        simple(`
          <bpmn:startEvent id="Timer"><bpmn:timerEventDefinition /></bpmn:startEvent>
          <bpmn:boundaryEvent id="Late" attachedToRef="T1"><bpmn:timerEventDefinition /></bpmn:boundaryEvent>
          <bpmn:intermediateCatchEvent id="Wait"><bpmn:messageEventDefinition /></bpmn:intermediateCatchEvent>
          <bpmn:intermediateThrowEvent id="Shout"><bpmn:signalEventDefinition /></bpmn:intermediateThrowEvent>
          <bpmn:subProcess id="Sub" />
          <bpmn:callActivity id="Call" />
          <bpmn:serviceTask id="Svc" />
          <bpmn:scriptTask id="Script" />
          <bpmn:eventBasedGateway id="EvGw" />
          <bpmn:complexGateway id="Cx" />
          <bpmn:endEvent id="Boom"><bpmn:errorEventDefinition /></bpmn:endEvent>
          <bpmn:laneSet id="Lanes"><bpmn:lane id="Lane1"><bpmn:flowNodeRef>T1</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>`),
        '<bpmn:process id="P2" />',
      );
      const problems = problemsOf(await converter.fromBpmn(xml, {}));
      expect(problems.map((p) => p.path)).to.have.members([
        '/bpmn/Timer',
        '/bpmn/Late',
        '/bpmn/Wait',
        '/bpmn/Shout',
        '/bpmn/Sub',
        '/bpmn/Call',
        '/bpmn/Svc',
        '/bpmn/Script',
        '/bpmn/EvGw',
        '/bpmn/Cx',
        '/bpmn/Boom',
        '/bpmn/P2',
      ]);
      expect(problems.find((p) => p.path === '/bpmn/Late')!.message).to.match(/boundaryEvent/);
      expect(problems.find((p) => p.path === '/bpmn/Timer')!.message).to.match(/timer start event/);
      // lanes are ignored: the file without the refused elements imports
      expect(
        draftOf(await converter.fromBpmn(bpmn(simple('<bpmn:laneSet id="L"><bpmn:lane id="L1" /></bpmn:laneSet>')), {}))
          .definition.nodes,
      ).to.have.length(3);
    });

    it('the hall ends with a complete (办结) task: a gateway, the start event or a non-complete task before an end event is named', async () => {
      const gw = bpmn(`
        <bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" /><bpmn:endEvent id="E" />
        <bpmn:userTask id="T" hall:kind="review" hall:timeLimit="1d" />
        <bpmn:sequenceFlow id="a" sourceRef="S" targetRef="G" /><bpmn:sequenceFlow id="b" sourceRef="G" targetRef="E" />
        <bpmn:sequenceFlow id="c" sourceRef="S" targetRef="E" /><bpmn:sequenceFlow id="d" sourceRef="G" targetRef="T" />
        <bpmn:sequenceFlow id="e" sourceRef="T" targetRef="E" />`);
      expect(paths(await converter.fromBpmn(gw, {}))).to.have.members(['/bpmn/b', '/bpmn/c', '/bpmn/e']);
    });

    it('JUEL beyond the subset, conditions out of a task and on a parallel gateway, a bad hall:kind and bad JSON are named', async () => {
      const xml = bpmn(`
        <bpmn:startEvent id="S" />
        <bpmn:exclusiveGateway id="G" default="f3" />
        <bpmn:parallelGateway id="P" />
        <bpmn:userTask id="T1" hall:timeLimit="1d" hall:kind="boss" hall:handlers="{oops" />
        <bpmn:userTask id="T2" hall:timeLimit="1d" />
        <bpmn:endEvent id="E" />
        <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="G" />
        <bpmn:sequenceFlow id="f2" sourceRef="G" targetRef="P"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${execution.getVariable("x") &gt; 1}</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="f3" sourceRef="G" targetRef="T1" />
        <bpmn:sequenceFlow id="f4" sourceRef="P" targetRef="T1"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${amount &gt; 1}</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="f5" sourceRef="T1" targetRef="T2"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${amount &gt; 1}</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="f6" sourceRef="T2" targetRef="E" />
        <bpmn:sequenceFlow id="f7" sourceRef="G" targetRef="T2"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy">\${amount &gt; 1}</bpmn:conditionExpression></bpmn:sequenceFlow>`);
      expect(paths(await converter.fromBpmn(xml, {}))).to.have.members([
        '/bpmn/f2/conditionExpression',
        '/bpmn/f4/conditionExpression',
        '/bpmn/f5/conditionExpression',
        '/bpmn/f7/conditionExpression',
        '/bpmn/T1/kind',
        '/bpmn/T1/handlers',
      ]);
    });
  });

  describe('hostile input', () => {
    it('a DOCTYPE or entity declaration (XXE, billion laughs) is refused before parsing', async () => {
      const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>${bpmn(simple()).replace(/^<\?xml[^>]*>/, '')}`;
      const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${bpmn(simple('<bpmn:task id="X" name="&x;" />')).replace(/^<\?xml[^>]*>/, '')}`;
      for (const xml of [laughs, xxe]) {
        expect(problemsOf(await converter.fromBpmn(xml, {}))).to.deep.equal([
          { path: '/bpmn', message: 'a DOCTYPE or entity declaration is not allowed' },
        ]);
      }
    });

    it('malformed XML, another document and an empty string are one problem at /bpmn', async () => {
      for (const xml of ['<bpmn:definitions', '<a><b></a>', 'not xml at all', '   ', '<html><body/></html>']) {
        const problems = problemsOf(await converter.fromBpmn(xml, {}));
        expect(
          problems.map((p) => p.path),
          xml,
        ).to.deep.equal(['/bpmn']);
      }
    });

    it('a file with thousands of elements is refused by the node limit, without mapping them', async () => {
      const tasks = Array.from({ length: 5000 }, (_, i) => `<bpmn:userTask id="T${i}" />`).join('');
      const problems = problemsOf(await converter.fromBpmn(bpmn(tasks), {}));
      expect(problems).to.have.length(1);
      expect(problems[0]!.message).to.match(/at most 100 nodes/);
    });

    it('elements nested tens of thousands deep (a megabyte) are answered with problems, not a stack overflow', async () => {
      const deep = bpmn(`${'<bpmn:subProcess id="s">'.repeat(30000)}${'</bpmn:subProcess>'.repeat(30000)}`);
      expect(paths(await converter.fromBpmn(deep, {}))).to.include('/bpmn/s');
    });

    it('JSON nested too deep in a hall: attribute is refused', async () => {
      const deep = '['.repeat(100) + ']'.repeat(100);
      const xml = bpmn(simple().replace('hall:timeLimit="2d"', `hall:timeLimit="2d" hall:step="${deep}"`));
      expect(paths(await converter.fromBpmn(xml, {}))).to.deep.equal(['/bpmn/T1/step']);
    });
  });

  describe('keys and names', () => {
    it('ids become keys (lower case, other characters as -, a letter first, duplicates numbered); names default to the id', async () => {
      const xml = bpmn(`
        <bpmn:startEvent id="Start.Event" />
        <bpmn:userTask id="Task_A" hall:timeLimit="1d" />
        <bpmn:userTask id="task_a" name="  审核  " hall:timeLimit="1d" />
        <bpmn:userTask id="_9lives" hall:timeLimit="1d" />
        <bpmn:endEvent id="E" />
        <bpmn:sequenceFlow id="a" sourceRef="Start.Event" targetRef="Task_A" />
        <bpmn:sequenceFlow id="b" sourceRef="Task_A" targetRef="task_a" />
        <bpmn:sequenceFlow id="c" sourceRef="task_a" targetRef="_9lives" />
        <bpmn:sequenceFlow id="d" sourceRef="_9lives" targetRef="E" />`);
      const nodes = draftOf(await converter.fromBpmn(xml, {})).definition.nodes;
      expect(nodes.map((n) => [n.key, n.name, n.kind])).to.deep.equal([
        ['start-event', 'Start.Event', 'start'],
        ['task_a', 'Task_A', 'approve'],
        ['task_a-2', '审核', 'approve'],
        ['n_9lives', '_9lives', 'complete'],
      ]);
    });

    it('nodes come in flow order whatever the order of the document, with next only where it differs from the order', async () => {
      const xml = bpmn(
        simple().replace(/(<bpmn:userTask id="T1"[^>]*\/>)([\s\S]*?<bpmn:userTask id="T2"[^>]*\/>)/, '$2$1'),
      );
      const nodes = draftOf(await converter.fromBpmn(xml, {})).definition.nodes;
      expect(nodes.map((n) => n.key)).to.deep.equal(['s', 't1', 't2']);
      expect(nodes.some((n) => 'next' in n)).to.equal(false);
    });
  });

  describe('JUEL subset', () => {
    const cases: Array<[string, unknown]> = [
      ['${amount > 1000}', { '>': [{ var: 'form.amount' }, 1000] }],
      [
        "${form.amount >= 10 && applicant.type == 'student'}",
        { and: [{ '>=': [{ var: 'form.amount' }, 10] }, { '==': [{ var: 'applicant.type' }, 'student'] }] },
      ],
      ['#{!(days le 3) or urgent}', { or: [{ '!': { '<=': [{ var: 'form.days' }, 3] } }, { var: 'form.urgent' }] }],
      ['${urgent}', { '!!': { var: 'form.urgent' } }],
      ['${reason != "其他"}', { '!=': [{ var: 'form.reason' }, '其他'] }],
    ];
    for (const [juel, logic] of cases)
      it(`${juel} -> ${JSON.stringify(logic)}`, () => {
        expect(juelToJsonLogic(juel)).to.deep.equal({ ok: true, logic });
      });
    for (const juel of [
      '${a.b.c > 1}',
      '${amount + 1 > 2}',
      '${empty amount}',
      '${x.size() > 1}',
      '${a[0] == 1}',
      'amount > 1',
      '${(a > 1}',
    ])
      it(`refuses ${juel}`, () => {
        expect(juelToJsonLogic(juel).ok).to.equal(false);
      });
  });
});
