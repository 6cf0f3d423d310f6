// Every type file, for its side effects on the builder; then the schema. Nothing else belongs
// here (see README.md in this folder).
import "./errors.js";
import "./role.js";
import "./api-key.js";
import "./sync-progress.js";
import "./audit-event-subscription.js";
// The operator and finance surface (issue 6).
import "./connection.js";
import "./connection-settings.js";
import "./connection-test.js";
import "./supplier.js";
import "./purchase-order.js";
import "./invoice.js";
import "./payment.js";
import "./gl-account.js";
import "./gl-mapping.js";
import "./gl-mapping-edit.js";
import "./mapping-readiness.js";
import "./sync-run.js";
import "./exception.js";
import "./audit-event.js";
import "./transaction.js";
import "./schedule.js";
import "./subject.js";

import { builder } from "./builder.js";

export const schema = builder.toSchema({ sortSchema: true });
