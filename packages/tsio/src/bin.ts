#!/usr/bin/env node
// The `tsio` command (`npx tsio`): an interactive session with a tsio event loop running.
import { startRepl } from './repl.js';

const code = await startRepl();
// As Node's own REPL does: end now, even if a statement left a native timer or socket open.
process.exit(code);
