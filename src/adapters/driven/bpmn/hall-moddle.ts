import { BpmnModdle } from 'bpmn-moddle';

export const HALL_NS = 'https://service-hall.example/bpmn';
export const CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn';
/** The `language` of a sequence flow's condition written as JSON Logic. */
export const JSON_LOGIC_LANGUAGE = 'application/json+logic';

/**
 * The `hall:` extension of BPMN: what a hall node has and BPMN has no place for, as JSON text in
 * attributes of the flow node (`hall:kind`, `hall:handlers`, `hall:timeLimit`, and `hall:step` for
 * every other member), and the process's form as the body of a `hall:form` extension element.
 */
const HALL_PACKAGE = {
  name: 'Service Hall',
  prefix: 'hall',
  uri: HALL_NS,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'HallNode',
      extends: ['bpmn:FlowNode'],
      properties: [
        { name: 'kind', isAttr: true, type: 'String' },
        { name: 'handlers', isAttr: true, type: 'String' },
        { name: 'timeLimit', isAttr: true, type: 'String' },
        { name: 'step', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'Form',
      superClass: ['Element'],
      properties: [{ name: 'json', isBody: true, type: 'String' }],
    },
  ],
};

export function hallModdle(): BpmnModdle {
  return new BpmnModdle({ hall: HALL_PACKAGE });
}
