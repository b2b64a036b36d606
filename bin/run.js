#!/usr/bin/env -S node --conditions=production
// The built `hall` CLI (npm run build first).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
