import { z } from 'zod';
import {
  APPLICANT_AS_APPROVER,
  NODE_KINDS,
  SIGN_MODES,
  TIMEOUT_ACTIONS,
} from '../../../../domain/process-definition/process-definition.js';
import { LIFECYCLE_COMMANDS, SERVICE_ITEM_STATES } from '../../../../domain/service-item/service-item-lifecycle.js';
import { APPROVING_OFFICES } from '../../../../domain/service-item/service-item.entity.js';
import { VERSION_STATES } from '../../../../domain/service-item/service-version.entity.js';
import { component, entityId, instant, page, personId } from './component.js';

const office = z.enum(APPROVING_OFFICES);

/** The applicant's form as a JSON Schema object. */
export const FormSchema = component(
  'FormSchema',
  z
    .object({
      type: z.literal('object'),
      properties: z.record(z.string(), z.record(z.string(), z.unknown())),
    })
    .loose()
    .describe('a JSON Schema of the form; further keywords (required, …) as given'),
);

export const ProcessNode = component(
  'ProcessNode',
  z.object({
    key: z.string(),
    name: z.string(),
    kind: z.enum(NODE_KINDS),
    handlers: z
      .union([
        z.object({
          type: z.literal('role'),
          role: z.string(),
          unit: z.string().describe("a unit key, or '$applicant.unit' / '$applicant.college'"),
        }),
        z.object({ type: z.literal('people'), people: z.array(personId) }),
      ])
      .optional(),
    mode: z.enum(SIGN_MODES).optional(),
    passRatio: z.number().optional(),
    fields: z.object({ visible: z.array(z.string()).optional(), editable: z.array(z.string()).optional() }).optional(),
    timeLimit: z.union([z.object({ workingDays: z.number().int() }), z.object({ hours: z.number().int() })]).optional(),
    next: z.array(z.string()).optional(),
    connector: z.string().optional(),
    connectorFields: z.array(z.string()).optional(),
    condition: z.record(z.string(), z.unknown()).optional().describe('JSON Logic over form.* and applicant.*'),
    whenApplicantIsApprover: z.enum(APPLICANT_AS_APPROVER).optional(),
    autoPassSameApprover: z.boolean().optional(),
    printable: z.boolean().optional(),
    onTimeout: z
      .object({ action: z.enum(TIMEOUT_ACTIONS) })
      .optional()
      .describe('what happens to a task still open when its time limit passes (default: remind)'),
    conditions: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .optional()
      .describe('exclusive and inclusive gateways: successor key -> JSON Logic condition of the flow to it'),
    default: z
      .string()
      .optional()
      .describe('exclusive and inclusive gateways: the successor taken when no condition holds'),
  }),
);

export const ProcessDefinition = component(
  'ProcessDefinition',
  z.object({ form: FormSchema, nodes: z.array(ProcessNode) }),
);

export const ServiceItem = component(
  'ServiceItem',
  z.object({
    id: entityId,
    code: z.string(),
    name: z.string(),
    owningUnit: z.string(),
    involvedUnits: z.array(z.string()),
    description: z.string(),
    offlineProcedure: z.string(),
    state: z.enum(SERVICE_ITEM_STATES),
    allowedCommands: z.array(z.enum(LIFECYCLE_COMMANDS)).describe('what the lifecycle allows in this state'),
    approvals: z
      .array(z.object({ office, by: personId, at: instant, comment: z.string().optional() }))
      .describe('of the current onboarding or offboarding round'),
    rejection: z
      .object({ office, by: personId, at: instant, reason: z.string(), phase: z.enum(['onboarding', 'offboarding']) })
      .nullable(),
    offboardingReason: z.string().nullable(),
    onlineVersionId: entityId.nullable(),
    createdBy: personId,
    createdAt: instant,
    updatedAt: instant,
  }),
);
export const ServiceItemPage = page('ServiceItemPage', ServiceItem);

export const ServiceVersion = component(
  'ServiceVersion',
  z.object({
    id: entityId,
    itemId: entityId,
    number: z.number().int(),
    state: z.enum(VERSION_STATES),
    definition: ProcessDefinition.nullable(),
    confirmations: z.array(z.object({ unit: z.string(), by: personId, at: instant })),
    changeReason: z.string().nullable(),
    createdBy: personId,
    createdAt: instant,
    updatedAt: instant,
    launchedAt: instant.nullable(),
  }),
);

export const ServiceItemWithVersions = component(
  'ServiceItemWithVersions',
  ServiceItem.extend({ versions: z.array(ServiceVersion) }),
);

/** A system an item depends on is down: why, and how to apply offline meanwhile (应急办理方式). */
export const Degradation = component(
  'Degradation',
  z.object({
    reasons: z.array(z.string()),
    offlineProcedure: z.string().describe('the offline emergency procedure (应急办理方式) to show applicants'),
  }),
);

/** 服务目录: an item open for applications, on its current version. */
export const CatalogueEntry = component(
  'CatalogueEntry',
  z.object({
    id: entityId,
    code: z.string(),
    name: z.string(),
    owningUnit: z.string(),
    involvedUnits: z.array(z.string()),
    description: z.string(),
    versionId: entityId,
    versionNumber: z.number().int(),
    nodes: z
      .array(z.object({ key: z.string(), name: z.string(), kind: z.enum(NODE_KINDS) }))
      .describe('the steps an applicant goes through, in order'),
    form: FormSchema,
    offlineProcedure: z
      .string()
      .describe(
        'how to apply offline (线下应急办理方式, Art. 4(3)4, 13), shown always: printed forms, where to hand them in',
      ),
    degraded: Degradation.nullable().describe('set while a system the item depends on is down'),
  }),
);
export const CataloguePage = page('CataloguePage', CatalogueEntry);
