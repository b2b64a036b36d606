#!/usr/bin/env -S node --import tsx
// The `hall` CLI straight from the TypeScript sources (npm run hall -- <args>): like bin/run.js, but
// NODE_ENV=development lets oclif load ops/commands/*.ts instead of dist/. Errors stay one clear line.
import { flush, handle, run } from '@oclif/core';

process.env.NODE_ENV ??= 'development';
await run(process.argv.slice(2), import.meta.url)
  .then(() => flush())
  .catch(handle);
