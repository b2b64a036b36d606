// A module resolution hook for the built `hall` CLI: the hall's own packages (the plugin SDK and the
// bundled plugins) resolve to their built JavaScript (their `production` export), as under
// `node --conditions=production`, however the CLI was started (`hall`, `node bin/run.js`, …).
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('production')
    ? context.conditions
    : [...context.conditions, 'production'];
  return nextResolve(specifier, { ...context, conditions });
}
