/**
 * A minimal OpenTelemetry SDK stand-in (the SDK packages are not dependencies): a tracer provider
 * that keeps every ended span in memory, and an AsyncLocalStorage context manager so active spans
 * follow async calls as the real SDK's do.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

import { ROOT_CONTEXT, SpanStatusCode, TraceFlags, context, trace } from "@opentelemetry/api";

import type {
  Context,
  ContextManager,
  Link,
  Span,
  SpanAttributeValue,
  SpanAttributes,
  SpanContext,
  SpanKind,
  SpanOptions,
  SpanStatus,
  Tracer,
  TracerProvider,
} from "@opentelemetry/api";

export interface RecordedSpan {
  name: string;
  kind: SpanKind | undefined;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, SpanAttributeValue>;
  events: { name: string; attributes: SpanAttributes }[];
  status: SpanStatus;
  ended: boolean;
}

class RecordingSpan implements Span {
  constructor(
    private readonly record: RecordedSpan,
    private readonly finished: RecordedSpan[],
  ) {}
  spanContext(): SpanContext {
    return {
      traceId: this.record.traceId,
      spanId: this.record.spanId,
      traceFlags: TraceFlags.SAMPLED,
    };
  }
  setAttribute(key: string, value: SpanAttributeValue): this {
    this.record.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: SpanAttributes): this {
    for (const [k, v] of Object.entries(attributes)) {
      if (v !== undefined) {
        this.record.attributes[k] = v;
      }
    }
    return this;
  }
  addEvent(name: string, attributes?: unknown): this {
    this.record.events.push({ name, attributes: (attributes ?? {}) as SpanAttributes });
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.record.status = status;
    return this;
  }
  updateName(name: string): this {
    this.record.name = name;
    return this;
  }
  end(): void {
    if (!this.record.ended) {
      this.record.ended = true;
      this.finished.push(this.record);
    }
  }
  isRecording(): boolean {
    return !this.record.ended;
  }
  recordException(): void {}
}

class RecordingTracer implements Tracer {
  constructor(private readonly finished: RecordedSpan[]) {}
  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = options.root ? undefined : trace.getSpanContext(ctx);
    return new RecordingSpan(
      {
        name,
        kind: options.kind,
        traceId: parent?.traceId ?? randomBytes(16).toString("hex"),
        spanId: randomBytes(8).toString("hex"),
        parentSpanId: parent?.spanId,
        attributes: { ...(options.attributes as Record<string, SpanAttributeValue>) },
        events: [],
        status: { code: SpanStatusCode.UNSET },
        ended: false,
      },
      this.finished,
    );
  }
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: unknown[]
  ): ReturnType<F> {
    const fn = rest.pop() as F;
    const [options, ctx] = rest as [SpanOptions | undefined, Context | undefined];
    const parentContext = ctx ?? context.active();
    const span = this.startSpan(name, options, parentContext);
    return context.with(trace.setSpan(parentContext, span), () => fn(span)) as ReturnType<F>;
  }
}

class AsyncContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") {
      return target;
    }
    const fn = target as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(ctx, () => fn(...args))) as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

/** Registers the recorder globally; `spans` fills as spans end. `stop()` unregisters it. */
export function registerRecordingTracer(): { spans: RecordedSpan[]; stop(): void } {
  const spans: RecordedSpan[] = [];
  const provider: TracerProvider = { getTracer: () => new RecordingTracer(spans) };
  context.setGlobalContextManager(new AsyncContextManager());
  trace.setGlobalTracerProvider(provider);
  return {
    spans,
    stop() {
      trace.disable();
      context.disable();
    },
  };
}
