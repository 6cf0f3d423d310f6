import { isSandboxControlError } from "../../sandboxes/avidxchange/index.js";

import type { AnomalyKind, AvidSandboxControl } from "../../sandboxes/avidxchange/index.js";

/**
 * Payments the connector must refuse to post, one of each kind, so the demo shows mismatched
 * payments beside the posted ones. Overpayment comes first: it needs an invoice we sent, so once it
 * goes in the others have invoices to work on too (an unknown-invoice payment would otherwise go to
 * an AvidXchange-only vendor before any invoice exists).
 */
export const DEMO_PAYMENT_ANOMALIES: readonly AnomalyKind[] = [
  "overpayment",
  "currency",
  "wrong-split",
  "unknown-invoice",
];

export interface AnomalyFeeder {
  /** Kinds injected so far, in order. */
  injected(): readonly AnomalyKind[];
  stop(): void;
}

/**
 * Injects each anomaly once, as soon as the AvidXchange sandbox has what it needs (a sandbox that
 * says "not yet" is asked again on the next tick). Anomaly payments start at Funds Received, so
 * the next payments sync holds them as exceptions.
 */
export function feedPaymentAnomalies(
  control: AvidSandboxControl,
  options: {
    readonly everyMs?: number;
    readonly kinds?: readonly AnomalyKind[];
    /** A failure other than "not yet" stops the feeder (a timer must not throw). */
    readonly onError?: (error: unknown) => void;
  } = {},
): AnomalyFeeder {
  const pending = [...(options.kinds ?? DEMO_PAYMENT_ANOMALIES)];
  const done: AnomalyKind[] = [];
  const tick = () => {
    while (pending.length > 0) {
      try {
        control.injectAnomaly({ kind: pending[0]! });
      } catch (e) {
        if (!isSandboxControlError(e)) {
          clearInterval(timer);
          options.onError?.(e);
        }
        return;
      }
      done.push(pending.shift()!);
    }
    clearInterval(timer);
  };
  const timer = setInterval(tick, options.everyMs ?? 5_000);
  timer.unref();
  return {
    injected: () => done,
    stop: () => clearInterval(timer),
  };
}
