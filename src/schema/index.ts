// Every type file, for its side effects on the builder; then the schema. Nothing else belongs
// here (see README.md in this folder).
import "./errors.js";
import "./role.js";
import "./api-key.js";
import "./sync-progress.js";
import "./audit-event-subscription.js";
// The operator and finance surface (issue 6).
import "./connection.js";

import { builder } from "./builder.js";

export const schema = builder.toSchema({ sortSchema: true });
