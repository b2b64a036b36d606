#!/usr/bin/env node
// The built `hall` CLI (npm run build first).
import { register } from 'node:module';

// the plugin SDK and the bundled plugins as built JavaScript, not their TypeScript source
register('./production-conditions.js', import.meta.url);
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
