/**
 * The connection test (admin): both systems diagnosed with the stored credentials, each failure
 * a precise diagnosis.
 */

import { NotFoundError } from "../errors.js";
import { testConnection } from "../sync/commands/connections.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { outcome } from "./results.js";

import type { ConnectionRow } from "../read-models/connections.js";
import type { SystemDiagnosis } from "../sync/commands/connections.js";
const SystemDiagnosisRef = builder.objectRef<SystemDiagnosis>("SystemDiagnosis").implement({
  description: "What a connection test found for one system.",
  fields: (t) => ({
    ok: t.exposeBoolean("ok", { description: "Everything the test tried worked." }),
    code: t.exposeString("code", {
      description: "Stable reason, e.g. OK, WRONG_SECRET, UNREACHABLE, COMPANY_NOT_GRANTED.",
    }),
    message: t.exposeString("message", {
      description: "What was found and what to do about it, in plain words.",
    }),
    details: t.field({
      type: "JSON",
      nullable: true,
      description: "Facts the test saw: where it stopped, HTTP status, versions, counts.",
      resolve: (diagnosis) => diagnosis.details ?? null,
    }),
  }),
});

const ConnectionTestRef = builder
  .objectRef<{
    connection: ConnectionRow;
    diagnosis: { syspro: SystemDiagnosis; avidxchange: SystemDiagnosis };
    testedAt: Date;
  }>("ConnectionTest")
  .implement({
    description:
      "The result of a connection test: e.net logon and one OData read on SYSPRO; a fresh token and one page of vendors and GL codes on AvidXchange.",
    fields: (t) => ({
      ok: t.boolean({
        description: "Both systems passed.",
        resolve: ({ diagnosis }) => diagnosis.syspro.ok && diagnosis.avidxchange.ok,
      }),
      syspro: t.field({
        description: "SYSPRO: e.net logon and one OData read.",
        type: SystemDiagnosisRef,
        resolve: ({ diagnosis }) => diagnosis.syspro,
      }),
      avidxchange: t.field({
        description: "AvidXchange: a fresh token and one page of vendors and GL codes.",
        type: SystemDiagnosisRef,
        resolve: ({ diagnosis }) => diagnosis.avidxchange,
      }),
      testedAt: t.expose("testedAt", { description: "When the test ran.", type: "DateTime" }),
      connection: t.field({
        type: ConnectionRef,
        description: "The connection, with its credentials' verification times updated.",
        // By id, so the credentials reflect the verification just recorded.
        resolve: ({ connection }) => connection.id,
      }),
    }),
  });

builder.mutationFields((t) => ({
  testConnection: t.field({
    type: ConnectionTestRef,
    description:
      "Test a connection against both systems with its stored credentials and record which passed. Each failure is a precise diagnosis, never a stack trace. Admin only.",
    authScopes: { admin: true },
    errors: outcome("testing the connection", [NotFoundError]),
    args: {
      id: t.arg.globalID({
        description: "The connection to test.",
        for: ConnectionRef,
        required: true,
      }),
    },
    resolve: (_root, { id }, ctx) =>
      testConnection(ctx.db, ctx.commands.diagnose, id.id, ctx.principal.name),
  }),
}));
