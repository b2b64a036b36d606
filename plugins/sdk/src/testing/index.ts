/**
 * @service-hall/plugin-sdk/testing: fakes of what the host gives a plugin, a real local HTTP peer
 * to stand in for a department's system, and the conformance suites a department runs against
 * its own plugin from its own mocha tests. docs/plugins.md shows their use.
 */
export * from './fakes.js';
export * from './peer.js';
export * from './conformance.js';
