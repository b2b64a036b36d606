import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PORTAL_CLIENT_DIR, portalClientFiles } from '../../../clients/portal-client-files.js';

describe('the typed portal client (no database)', function () {
  this.timeout(60_000);

  it('its committed document and types are what the routes generate now (else: npm run client:generate)', async () => {
    const generated = await portalClientFiles();
    const stale: string[] = [];
    for (const [name, text] of Object.entries(generated)) {
      const committed = await readFile(path.join(PORTAL_CLIENT_DIR, name), 'utf8').catch(() => '');
      if (committed !== text) stale.push(`${PORTAL_CLIENT_DIR}/${name}`);
    }
    expect(stale, 'stale generated files: run npm run client:generate and commit them').to.deep.equal([]);
  });

  it('the types name every operation of the document, and the shared schemas', async () => {
    const { 'openapi.json': document, 'schema.d.ts': types } = await portalClientFiles();
    const ids = [...document.matchAll(/"operationId": "(\w+)"/g)].map((m) => m[1]!);
    expect(ids.length).to.be.greaterThan(60);
    expect(ids.filter((id) => !types.includes(`    ${id}: {`))).to.deep.equal([]);
    expect(types).to.contain('ApplicationProgress: {').and.contain('Problem: {');
  });
});
