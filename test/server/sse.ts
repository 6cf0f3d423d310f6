/** One result of a subscription, as it arrives over the wire. */
export interface SubscriptionResult<T> {
  readonly data?: T | null | undefined;
  readonly errors?: readonly { readonly message: string }[] | undefined;
}

export interface SseSubscription<T> {
  /** The next `next` event's payload; rejects if the stream ends first. */
  next(): Promise<SubscriptionResult<T>>;
  close(): Promise<void>;
}

/**
 * Subscribes over Server-Sent Events the way a browser portal does (POST, `Accept:
 * text/event-stream`) and reads the stream event by event.
 */
export async function subscribeSse<T = Record<string, unknown>>(
  url: string,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<SseSubscription<T>> {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: "POST",
    signal: abort.signal,
    headers: {
      "content-type": "application/json",
      accept: "text/event-stream",
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`SSE subscription refused: ${response.status} ${await response.text()}`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next() {
      for (;;) {
        const match = /event: next\ndata: (.*)\n\n/.exec(buffer);
        if (match?.[1]) {
          buffer = buffer.slice(match.index + match[0].length);
          return JSON.parse(match[1]) as SubscriptionResult<T>;
        }
        const { value, done } = await reader.read();
        if (done) {
          throw new Error("the SSE stream ended");
        }
        buffer += decoder.decode(value, { stream: true });
      }
    },
    async close() {
      abort.abort();
      await reader.cancel().catch(() => undefined);
    },
  };
}
