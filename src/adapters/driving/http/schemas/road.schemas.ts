import { z } from 'zod';
import { NODE_KINDS } from '../../../../domain/process-definition/process-definition.js';
import { DIAGRAM_NODE_STATES } from '../../../../domain/application/process-diagram.js';
import { ApplicationState } from './application.schemas.js';
import { component, entityId, instant, personId } from './component.js';

const nodeKind = z.enum(NODE_KINDS);
const named = { id: personId, name: z.string().describe('the name the hall knows (the id when it knows none)') };

/** One step of the path an application has taken. */
export const PathStep = component(
  'PathStep',
  z.object({
    node: z.string(),
    name: z.string(),
    kind: nodeKind,
    outcome: z
      .enum(['submitted', 'approved', 'rejected', 'returned', 'skipped', 'joined'])
      .describe('submitted: the applicant started the run; joined: every branch reached this join'),
    at: instant,
    actors: z
      .array(
        z.object({
          ...named,
          outcome: z.enum(['submitted', 'approved', 'rejected', 'returned']),
          at: instant.nullable(),
        }),
      )
      .describe('who decided the step (each signer of a countersign), or the applicant who submitted'),
    reason: z.string().optional().describe('why the step was skipped'),
    target: z.string().optional().describe("where a return sent the application: 'applicant' or a node key"),
  }),
);

/** Who a step still to come would go to, as the engine would resolve it now. */
export const HandlersAhead = component(
  'HandlersAhead',
  z.object({
    kind: z
      .enum(['people', 'pool', 'escalated'])
      .describe(
        "people: named in the step's rule; pool: a role pool and its active members; escalated: nobody resolves, so the owning unit's service admins",
      ),
    role: z.string().nullable(),
    unit: z.string().nullable(),
    people: z.array(
      z.object({
        ...named,
        substituteFor: personId.nullable().describe('the absent person this one stands in for'),
      }),
    ),
  }),
);

/** A step (or gateway) still to come. */
export const RoadStep = component(
  'RoadStep',
  z.object({
    node: z.string(),
    name: z.string(),
    kind: nodeKind,
    status: z
      .enum(['ahead', 'skipped', 'waiting'])
      .describe('ahead: it will wait here; skipped: it will pass by (reason); waiting: a join some branch reached'),
    reason: z.string().optional(),
    from: z.array(z.string()).describe('the nodes the road comes from into this one'),
    handlers: HandlersAhead.nullable().describe('null for gateways and steps it will pass by'),
  }),
);

/** The road of one application: the path taken, where it waits, the road ahead. */
export const ApplicationRoad = component(
  'ApplicationRoad',
  z.object({
    applicationId: entityId,
    state: ApplicationState,
    path: z.array(PathStep).describe('in the order the history recorded them'),
    current: z.array(z.object({ node: z.string(), name: z.string(), kind: nodeKind })),
    ahead: z.array(RoadStep).describe('in flow order, from the steps it waits at now; empty once it has ended'),
  }),
);

const point = z.object({ x: z.number(), y: z.number() });

/** The diagram of one application's process: positions, and where the application stands. */
export const ApplicationDiagram = component(
  'ApplicationDiagram',
  z.object({
    applicationId: entityId,
    state: ApplicationState,
    width: z.number(),
    height: z.number(),
    nodes: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        kind: nodeKind,
        x: z.number(),
        y: z.number(),
        width: z.number(),
        height: z.number(),
        state: z
          .enum(DIAGRAM_NODE_STATES)
          .describe(
            'passed, active (it waits here), waiting (a join some branch reached), skipped, ahead, not-taken, rejected (the step that rejected it)',
          ),
      }),
    ),
    edges: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        waypoints: z.array(point),
        condition: z.boolean().describe('the flow carries a condition'),
        default: z.boolean().describe("the gateway's default flow"),
        taken: z.boolean().describe('the application went along it in its current run'),
        ahead: z.boolean().describe('the flow lies on the road ahead'),
      }),
    ),
  }),
);
