#!/usr/bin/env node
// The package's bin: TypeScript runs through tsx, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2), process.env);
