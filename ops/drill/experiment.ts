import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './hall-child.js';

/**
 * A drill's experiment file, in the style of Chaos Toolkit: a steady-state hypothesis (probes that
 * must hold before the fault and again after it), a method (the actions that inject the fault,
 * each with a pause after it), rollbacks (the actions that end it, always run), and what to
 * measure. Actions and probes name the drill's built-in functions (`provider.func`), so the IT
 * Center composes its own experiments from them in `ops/drills/*.json`.
 */
const provider = z.strictObject({
  type: z.literal('hall'),
  func: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).optional(),
});
const activity = z.strictObject({
  type: z.enum(['action', 'probe']),
  name: z.string().min(1),
  provider,
  pauses: z
    .strictObject({ before: z.number().min(0).max(600).optional(), after: z.number().min(0).max(600).optional() })
    .optional(),
  /** The method's action that injects the fault: the clocks for detection and the fault's length start with it (default: the first). */
  fault: z.boolean().optional(),
});
export const experimentSchema = z.strictObject({
  version: z.literal('1.0.0'),
  title: z.string().min(1),
  description: z.string().min(1),
  tags: z.array(z.string()).default([]),
  configuration: z.strictObject({
    /** Portals working cases during the drill. */
    users: z.number().int().min(0).max(50).default(3),
    /** The service item the load applies for (a demo item in the sandbox). */
    item: z.string().default('JW-ZDZM'),
    /** Seconds of load before the fault. */
    warmupSeconds: z.number().min(0).max(600).default(2),
    /** Seconds of load after recovery, before the load stops. */
    cooldownSeconds: z.number().min(0).max(600).default(2),
    /** Hold the fault past its pause until the hall has detected it, for at most this many seconds (0: do not). */
    holdFaultUntilDetectedSeconds: z.number().min(0).max(600).default(0),
    /** How long the hall may take to recover once the fault ends before the drill fails. */
    recoveryTimeoutSeconds: z.number().min(1).max(3600).default(90),
  }),
  'steady-state-hypothesis': z.strictObject({ title: z.string().min(1), probes: z.array(activity).min(1) }),
  /** How the hall shows it has noticed the fault (polled from the first method action). */
  detection: activity,
  /** Probes that must hold, beside ready and a round trip, for the hall to count as recovered. */
  recovery: z.array(activity).default([]),
  /** Probes run once the fault is detected (e.g. the catalogue shows the offline procedure). */
  during: z.array(activity).default([]),
  method: z.array(activity).min(1),
  rollbacks: z.array(activity).default([]),
  /** Figures to measure beyond the committed actions and the duplicate submissions. */
  measures: z.array(z.enum(['reminders', 'connector-deliveries', 'events', 'sign-ins'])).default([]),
});
export type Experiment = z.infer<typeof experimentSchema>;
export type Activity = z.infer<typeof activity>;

export const experimentsDir = path.join(projectRoot, 'ops', 'drills');

/** The experiments in a folder, by scenario name (the file's name without `.json`). */
export async function loadExperiments(dir = experimentsDir): Promise<Map<string, Experiment>> {
  const out = new Map<string, Experiment>();
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    out.set(f.replace(/\.json$/, ''), await loadExperiment(path.join(dir, f)));
  }
  return out;
}

export async function loadExperiment(file: string): Promise<Experiment> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = experimentSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
