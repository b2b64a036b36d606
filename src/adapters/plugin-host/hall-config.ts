import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** A plugin's section of the hall's configuration file. */
const pluginSection = z.strictObject({
  /** What to import: an installed package, or a path from the working directory ('./…'). */
  module: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
  /** Where each secret comes from: an environment variable, so that no secret sits in the file. */
  secrets: z.record(z.string(), z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) })).default({}),
});

const hallConfig = z.strictObject({
  plugins: z
    .record(z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'a plugin id: lowercase letters, digits and -'), pluginSection)
    .default({}),
});

export type HallConfig = z.infer<typeof hallConfig>;
export type PluginSection = z.infer<typeof pluginSection>;

/** The configuration file is unreadable or invalid: one line naming the file, the key and the problem. */
export class HallConfigError extends Error {}

/** Reads and validates the file HALL_CONFIG names (JSON). */
export async function readHallConfig(file: string): Promise<HallConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new HallConfigError(`HALL_CONFIG ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = hallConfig.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(the file)'}: ${i.message}`);
    throw new HallConfigError(`HALL_CONFIG ${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}
