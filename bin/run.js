#!/usr/bin/env node
// The built `hall` CLI (npm run build first).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
