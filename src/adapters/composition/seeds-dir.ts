import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's seeds/ folder, found from this module both in src/ (tsx) and in dist/. The
 * composition root hands the paths in it to the adapters that read shipped data (the demo seed,
 * the live calendar's shipped years), so neither has to know where the project lies.
 */
export function seedsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'seeds', 'demo-catalogue.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('seeds/demo-catalogue.json not found');
    dir = up;
  }
  return path.join(dir, 'seeds');
}
