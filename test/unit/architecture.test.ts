import { expect } from 'chai';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
/** The very rules `npm run depcheck` enforces. */
const config = require('../../.dependency-cruiser.cjs') as {
  forbidden: unknown[];
  options: { enhancedResolveOptions: Record<string, unknown> };
};

/**
 * A small tree shaped like the hall's, every import allowed: a use case over a port, a driven
 * adapter implementing it, a controller and a CLI command calling the use case, the composition
 * root wiring them, plugins over the SDK's public entry point (the SDK laid out as plugins/sdk is:
 * src/index.ts and src/testing/index.ts are public, the rest internal).
 */
const ALLOWED: Record<string, string> = {
  'src/domain/item/item.entity.ts': 'export class Item { constructor(readonly id: string) {} }\n',
  'src/application/ports/items.port.ts':
    "import type { Item } from '../../domain/item/item.entity.js';\nexport interface Items { find(id: string): Promise<Item | null> }\n",
  'src/application/items/get-item.use-case.ts':
    "import type { Items } from '../ports/items.port.js';\nexport class GetItemUseCase { constructor(private readonly deps: { items: Items }) {} execute(id: string) { return this.deps.items.find(id); } }\n",
  'src/adapters/driven/knex/knex-items.ts':
    "import type { Items } from '../../../application/ports/items.port.js';\nexport class KnexItems implements Items { async find() { return null; } }\n",
  'src/adapters/driving/http/items.http.controller.ts':
    "import type { GetItemUseCase } from '../../../application/items/get-item.use-case.js';\nexport const itemRoutes = (uc: { getItem: GetItemUseCase }) => [uc.getItem];\n",
  'src/adapters/composition/container.ts': [
    "import { GetItemUseCase } from '../../application/items/get-item.use-case.js';",
    "import { KnexItems } from '../driven/knex/knex-items.js';",
    "import { itemRoutes } from '../driving/http/items.http.controller.js';",
    'export const routes = itemRoutes({ getItem: new GetItemUseCase({ items: new KnexItems() }) });',
    '',
  ].join('\n'),
  'src/main.ts': "import { routes } from './adapters/composition/container.js';\nexport const all = routes;\n",
  'ops/commands/item/show.ts':
    "import { routes } from '../../../src/adapters/composition/container.js';\nexport const shown = routes;\n",
  'plugins/sdk/src/version.ts': 'export const version = 1;\n',
  'plugins/sdk/src/index.ts': "import { version } from './version.js';\nexport const sdk = { version };\n",
  'plugins/sdk/src/testing/index.ts': "import { sdk } from '../index.js';\nexport const fake = sdk;\n",
  'plugins/dorm/src/index.ts': "import { sdk } from '../../sdk/src/index.js';\nexport const plugin = sdk;\n",
  'plugins/dorm/test/dorm.test.ts':
    "import { fake } from '../../sdk/src/testing/index.js';\nimport { plugin } from '../src/index.js';\nexport const t = [fake, plugin];\n",
  'plugins/library/src/index.ts': "import { sdk } from '../../sdk/src/index.js';\nexport const plugin = sdk;\n",
  'clients/portal/schema.d.ts': 'export interface paths { "/items": { get: unknown } }\n',
  'clients/portal/index.ts': "import type { paths } from './schema.js';\nexport type Paths = paths;\n",
};

/** One forbidden import per rule: where it is added, and the rule that must refuse it. */
const FORBIDDEN: Array<{ rule: string; what: string; file: string; line: string }> = [
  {
    rule: 'driving-not-to-driven',
    what: 'a controller imports a driven adapter',
    file: 'src/adapters/driving/http/items.http.controller.ts',
    line: "import { KnexItems } from '../../driven/knex/knex-items.js';",
  },
  {
    rule: 'driven-not-to-driving',
    what: 'a driven adapter imports a controller',
    file: 'src/adapters/driven/knex/knex-items.ts',
    line: "import { itemRoutes } from '../../driving/http/items.http.controller.js';",
  },
  {
    rule: 'ops-not-to-driven',
    what: 'a CLI command imports a driven adapter',
    file: 'ops/commands/item/show.ts',
    line: "import { KnexItems } from '../../../src/adapters/driven/knex/knex-items.js';",
  },
  {
    rule: 'adapters-not-to-composition-root',
    what: 'a controller looks things up in the composition root',
    file: 'src/adapters/driving/http/items.http.controller.ts',
    line: "import { routes } from '../../composition/container.js';",
  },
  {
    rule: 'application-imports-no-adapter',
    what: 'a use case imports a driven adapter',
    file: 'src/application/items/get-item.use-case.ts',
    line: "import { KnexItems } from '../../adapters/driven/knex/knex-items.js';",
  },
  {
    rule: 'domain-is-pure',
    what: 'an entity imports a port',
    file: 'src/domain/item/item.entity.ts',
    line: "import type { Items } from '../../application/ports/items.port.js';",
  },
  {
    rule: 'domain-is-pure',
    what: 'an entity does I/O',
    file: 'src/domain/item/item.entity.ts',
    line: "import { readFile } from 'node:fs/promises';",
  },
  {
    rule: 'plugins-use-only-the-sdk',
    what: 'a plugin imports the hall',
    file: 'plugins/dorm/src/index.ts',
    line: "import { Item } from '../../../src/domain/item/item.entity.js';",
  },
  {
    rule: 'plugins-use-only-the-sdk',
    what: "a plugin reaches into the SDK's internals",
    file: 'plugins/dorm/src/index.ts',
    line: "import { version } from '../../sdk/src/version.js';",
  },
  {
    rule: 'plugins-use-only-the-sdk',
    what: 'a plugin imports another plugin',
    file: 'plugins/dorm/src/index.ts',
    line: "import { plugin as library } from '../../library/src/index.js';",
  },
  {
    rule: 'plugins-use-only-the-sdk',
    what: "a plugin's test imports the hall's composition root",
    file: 'plugins/dorm/test/dorm.test.ts',
    line: "import { routes } from '../../../src/adapters/composition/container.js';",
  },
  {
    rule: 'sdk-imports-no-src',
    what: 'the SDK imports a plugin built on it',
    file: 'plugins/sdk/src/index.ts',
    line: "import { plugin } from '../../dorm/src/index.js';",
  },
  {
    rule: 'sdk-imports-no-src',
    what: 'the SDK imports the hall',
    file: 'plugins/sdk/src/index.ts',
    line: "import { Item } from '../../../src/domain/item/item.entity.js';",
  },
  {
    rule: 'portal-client-stands-alone',
    what: 'the portal client imports the hall',
    file: 'clients/portal/index.ts',
    line: "import { Item } from '../../src/domain/item/item.entity.js';",
  },
  {
    rule: 'no-circular',
    what: 'a port imports its use case back',
    file: 'src/application/ports/items.port.ts',
    line: "import type { GetItemUseCase } from '../items/get-item.use-case.js';",
  },
];

async function violations(files: Record<string, string>): Promise<Array<{ rule: string; from: string; to: string }>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hall-architecture-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    const { output } = await cruise(['src', 'ops', 'plugins', 'clients'], {
      baseDir: dir,
      validate: true,
      ruleSet: { forbidden: config.forbidden } as never,
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      enhancedResolveOptions: config.options.enhancedResolveOptions,
    });
    return (output as ICruiseResult).summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the dependency rules (dependency-cruiser on a small tree shaped like the hall)', function () {
  this.timeout(20_000);

  it('a tree that keeps the architecture breaks no rule', async () => {
    expect(await violations(ALLOWED)).to.deep.equal([]);
  });

  for (const f of FORBIDDEN) {
    it(`${f.rule} refuses it when ${f.what}`, async () => {
      const found = await violations({ ...ALLOWED, [f.file]: `${f.line}\n${ALLOWED[f.file]}` });
      expect(
        found.map((v) => v.rule),
        JSON.stringify(found),
      ).to.include(f.rule);
      expect(
        found.every((v) => v.from === f.file || v.rule === 'no-circular'),
        JSON.stringify(found),
      ).to.equal(true);
    });
  }
});
