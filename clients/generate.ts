import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { eventFiles } from './event-files.js';
import { PORTAL_CLIENT_DIR, portalClientFiles } from './portal-client-files.js';

// npm run client:generate: writes the OpenAPI document and the client's types generated from it
for (const [name, text] of Object.entries(await portalClientFiles())) {
  const file = path.join(PORTAL_CLIENT_DIR, name);
  await writeFile(file, text);
  process.stdout.write(`wrote ${file}\n`);
}

// and the data platform's event schemas with docs/events.md
for (const [file, text] of Object.entries(eventFiles())) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}
process.stdout.write('wrote docs/events.md and the event schemas\n');
