/** The dependency rule of the hexagon, checked by `npm run depcheck`. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports only src/domain: no framework, driver, Node I/O or outer layer',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain' },
    },
    {
      name: 'application-imports-no-adapter',
      comment: 'src/application sees the domain and its own ports, never an adapter or a driver',
      severity: 'error',
      from: { path: '^src/application' },
      to: { pathNot: '^src/(application|domain)' },
    },
    {
      name: 'plugins-use-only-the-sdk',
      comment: 'a plugin imports the SDK and npm packages, never src/ or another plugin',
      severity: 'error',
      from: { path: '^plugins/([^/]+)/', pathNot: '^plugins/sdk/' },
      to: { path: '^(src/|plugins/)', pathNot: ['^plugins/sdk/', '^plugins/$1/'] },
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
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
