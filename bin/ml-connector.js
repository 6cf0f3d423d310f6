#!/usr/bin/env node
// The `ml-connector` command (package.json "bin"): runs src/main.ts through tsx's loader in this
// same process, so signals (Ctrl-C, SIGTERM) and the exit status reach the CLI directly. tsx is
// resolved from this package, whatever the caller's directory (npx, a global link).
import { URL } from "node:url";

import { register } from "tsx/esm/api";

register();
await import(new URL("../src/main.ts", import.meta.url).href);
