#!/usr/bin/env node
// Runs the TypeScript CLI (src/cli/main.ts) through tsx, so `npx parallax …` works without a build step, from any folder.
// tsx is resolved from this file's own package, not from the working directory: `node --import tsx` looks
// it up from the cwd and fails with "Cannot find package 'tsx'" anywhere but the repository root.
// The CLI runs in this process (no child), so signals and the exit code are the CLI's own.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
