import { z } from 'zod';
import { component } from './component.js';

export const Alive = component('Alive', z.object({ status: z.literal('ok') }));
const PluginHealth = z
  .array(
    z.object({
      plugin: z.string(),
      status: z.enum(['ok', 'degraded', 'down', 'unknown']),
      detail: z.string().optional(),
    }),
  )
  .describe('what each loaded plugin last said of its health (a plugin that is down does not make the hall unready)');
const Dependencies = z
  .array(z.object({ name: z.string(), status: z.enum(['up', 'down']) }))
  .describe(
    "what the hall depends on, and which is down: 'database' (down: not ready), 'connector:<id>' (down: the items calling it show their offline procedure)",
  );
export const Ready = component(
  'Ready',
  z.object({ status: z.literal('ready'), dependencies: Dependencies, plugins: PluginHealth }),
);
export const NotReady = component(
  'NotReady',
  z.object({ status: z.literal('not-ready'), reason: z.string(), dependencies: Dependencies, plugins: PluginHealth }),
);
