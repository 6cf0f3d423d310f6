import { ProxyTracerProvider, trace } from "@opentelemetry/api";

import type { Tracer } from "@opentelemetry/api";

/** The instrumentation scope our spans are reported under. */
export const TRACER_NAME = "ml-connector";

/**
 * Whether an OpenTelemetry SDK registered a tracer provider (e.g. loaded with `node --import` before
 * the app). Without one the API is a no-op, and we do not even install our hooks: tracing that is
 * off costs nothing.
 */
export function tracingEnabled(): boolean {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider
    ? provider.getDelegateTracer(TRACER_NAME) !== undefined
    : true;
}

export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}
