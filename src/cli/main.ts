#!/usr/bin/env node
// The `parallax` command: parses the arguments with the program of src/cli/program.ts, and turns a failure
// into one line on stderr and an exit code.
import { failureOf, program } from './program.ts';

program.parseAsync().catch((e) => {
  const { code, message } = failureOf(e);
  console.error(message);
  process.exit(code);
});
