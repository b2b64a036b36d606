/**
 * The dependency rule of the hexagon, checked by `npm run depcheck` (and by
 * test/unit/architecture.test.ts, which shows each rule refusing a forbidden import).
 *
 * Layers, inside out: src/domain <- src/application <- src/adapters/{driving,driven} and ops/.
 * The composition root (src/adapters/composition/, src/main.ts, src/bootstrap.ts, src/config.ts)
 * is the one place that sees every ring: it builds the driven adapters and hands them, as ports,
 * to the use cases, and hands the use cases to the driving adapters. docs/architecture.md explains.
 */
const COMPOSITION_ROOT = '^src/(adapters/composition/|main[.]ts$|bootstrap[.]ts$|config[.]ts$)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports only src/domain: no framework, driver, Node I/O or outer layer',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'application-imports-no-adapter',
      comment: 'src/application sees the domain and its own ports, never an adapter, a driver or the composition root',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { pathNot: '^src/(application|domain)/' },
    },
    {
      name: 'driving-not-to-driven',
      comment:
        'a driving adapter (HTTP, jobs, seed) reaches the driven side only through use cases and the ports the composition root hands it',
      severity: 'error',
      from: { path: '^src/adapters/driving/' },
      to: { path: '^src/adapters/driven/' },
    },
    {
      name: 'driven-not-to-driving',
      comment: 'a driven adapter implements a port; it knows nothing of who drives the application',
      severity: 'error',
      from: { path: '^src/adapters/driven/' },
      to: { path: '^src/adapters/driving/' },
    },
    {
      name: 'ops-not-to-driven',
      comment:
        'the hall CLI is a driving adapter: it goes through the composition root and the use cases, never to a driven adapter',
      severity: 'error',
      from: { path: '^ops/' },
      to: { path: '^src/adapters/driven/' },
    },
    {
      name: 'adapters-not-to-composition-root',
      comment:
        'adapters are given what they use (no service locator); only entry points (main, bootstrap, ops, tests, benches) import the composition root',
      severity: 'error',
      from: { path: '^src/adapters/(driving|driven|plugin-host)/' },
      to: { path: COMPOSITION_ROOT },
    },
    {
      name: 'plugins-use-only-the-sdk',
      comment:
        'a plugin imports its own files, the SDK through its public entry points (@service-hall/plugin-sdk and /testing) and npm packages: never the hall, the SDK internals or another plugin',
      severity: 'error',
      from: { path: '^plugins/([^/]+)/', pathNot: '^plugins/sdk/' },
      to: {
        path: '^(src|ops|test|bench|migrations|clients|seeds|plugins)/',
        pathNot: ['^plugins/sdk/src/(testing/)?index[.]ts$', '^plugins/$1/'],
      },
    },
    {
      name: 'sdk-imports-no-src',
      comment:
        'the plugin SDK is what departments depend on: it imports none of the hall itself, and no plugin built on it',
      severity: 'error',
      from: { path: '^plugins/sdk/' },
      to: { path: ['^(src|ops|test|bench|migrations|clients|seeds)/', '^plugins/(?!sdk/)'] },
    },
    {
      name: 'portal-client-stands-alone',
      comment:
        'the typed portal client is published on its own: it imports its generated types and npm packages, none of the hall',
      severity: 'error',
      from: { path: '^clients/portal/' },
      to: { path: '^(src|ops|plugins|test|bench|migrations)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.check.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.json'],
    },
  },
};
