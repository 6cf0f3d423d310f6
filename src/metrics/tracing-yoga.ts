import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";

import { getOperationAST } from "graphql";

import { tracer } from "./tracing.js";

import type { DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";

/**
 * A span per GraphQL execution (`graphql.query <name>`, `graphql.mutation …`), active while it runs
 * so resolver events (the Pothos tracing plugin) and outgoing HTTP spans nest under it. Install only
 * when tracing is enabled (`tracingEnabled()`); the query text is not recorded (it may hold
 * credentials in `setCredentials` arguments), only the operation's type and name.
 */
export function useOperationTracing(): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operationName = args.operationName as string | null | undefined;
      const operation = getOperationAST(args.document as DocumentNode, operationName);
      const type: string = operation?.operation ?? "query";
      const name: string | undefined = operation?.name?.value ?? operationName ?? undefined;
      const span = tracer().startSpan(`graphql.${type}${name ? ` ${name}` : ""}`, {
        kind: SpanKind.SERVER,
        attributes: {
          "graphql.operation.type": type,
          ...(name ? { "graphql.operation.name": name } : {}),
        },
      });
      const active = trace.setSpan(context.active(), span);
      const execute = executeFn as (a: unknown) => unknown;
      setExecuteFn((executionArgs) => context.with(active, () => execute(executionArgs)) as never);
      return {
        onExecuteDone({ result }) {
          const errors = "errors" in result ? result.errors : undefined;
          if (errors && errors.length > 0) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: "GraphQL errors" });
            span.setAttribute("graphql.errors", errors.length);
          }
          span.end();
        },
      };
    },
  };
}
