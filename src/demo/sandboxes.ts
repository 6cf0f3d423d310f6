// The only place in src/ that imports sandboxes/ (DESIGN.md, Layers): the demo wiring, called from
// the composition root (`serve` with SANDBOX on). Everything else reaches the sandboxes over HTTP.
import { createAvidSandbox } from "../../sandboxes/avidxchange/index.js";
import { SMALL_FIXTURE } from "../../sandboxes/reference-customer/index.js";
import { createSysproSandbox } from "../../sandboxes/syspro/index.js";
import { BANKS } from "../../sandboxes/syspro/state.js";

import type { AvidSandboxControl } from "../../sandboxes/avidxchange/index.js";

/** Where the demo connection points and the secrets it logs on with. */
export interface DemoEndpoints {
  readonly sysproEnetBaseUrl: string;
  readonly sysproOdataBaseUrl: string;
  readonly sysproCompanyId: string;
  readonly sysproOperator: string;
  readonly sysproOdataUser: string;
  readonly sysproOperatorPassword: string;
  readonly sysproCompanyPassword: string;
  readonly sysproOdataPassword: string;
  /** A bank SYSPRO knows: APSTPM refuses a payment on any other. */
  readonly sysproBankCode: string;
  readonly avidBaseUrl: string;
  readonly avidTokenUrl: string;
  readonly avidClientId: string;
  readonly avidClientSecret: string;
  readonly avidCompanyId: string;
  readonly avidCompanyHeader: string;
}

export interface DemoSandboxes {
  readonly endpoints: DemoEndpoints;
  readonly avidControl: AvidSandboxControl;
  close(): Promise<void>;
}

export interface StartDemoSandboxesOptions {
  /** `reference` = the full customer (200 suppliers, 8,000 invoices); `small` for tests. */
  readonly size?: "reference" | "small";
  readonly host?: string;
  /** Real time now; injectable for tests. */
  readonly now?: number;
  /** Lifecycle speed-up: how long an approval step / payment status takes, in ms. */
  readonly stepMs?: number;
}

/**
 * Starts both sandboxes on free ports, seeded as the reference customer (same seed on both sides).
 *
 * Clock: the AvidXchange sandbox runs at real time from now (`accelerate: 1`), never faster, because
 * an accelerated clock stamps records in the future and the connector's real-time polling windows
 * would miss them. The lifecycle is made quick instead: invoices are received, approved and paid
 * within a few minutes of being sent.
 */
export async function startDemoSandboxes(
  options: StartDemoSandboxesOptions = {},
): Promise<DemoSandboxes> {
  const now = options.now ?? Date.now();
  const step = options.stepMs ?? 20_000;
  const host = options.host ?? "127.0.0.1";
  const syspro = createSysproSandbox({
    size: options.size === "small" ? "small" : "reference",
    now: new Date(now).toISOString(),
    host,
  });
  const avid = createAvidSandbox({
    startTime: now,
    accelerate: 1,
    host,
    ...(options.size === "small" ? { reference: SMALL_FIXTURE } : {}),
    lifecycle: {
      timings: {
        receivedMs: step,
        approvalStepMs: step,
        onHoldMs: 3 * step,
        paymentRunEveryMs: 3 * step,
        paymentRunOffsetMs: 0,
        paymentStatusMs: {
          "Pending Approval": step,
          Held: 3 * step,
          Processing: step,
          Error: 3 * step,
          "Debit Requested": step,
          "Funds Received": step,
          "Sent to Check Printer": step,
          "Issued to Supplier": 3 * step,
          "ACH Credit Issued": step,
          "VCC Processing": step,
        },
      },
    },
  });
  try {
    await syspro.listen(0);
    await avid.listen(0);
  } catch (e) {
    await Promise.allSettled([syspro.close(), avid.close()]);
    throw e;
  }
  const client = avid.clients.find((c) => c.keyType === "production") ?? avid.clients[0]!;
  const s = syspro.credentials;
  return {
    endpoints: {
      sysproEnetBaseUrl: syspro.url,
      sysproOdataBaseUrl: syspro.odataUrl,
      sysproCompanyId: s.companyId,
      sysproOperator: s.operator,
      sysproOdataUser: s.odataUser,
      sysproOperatorPassword: s.operatorPassword,
      sysproCompanyPassword: s.companyPassword,
      sysproOdataPassword: s.odataPassword,
      sysproBankCode: BANKS[0],
      avidBaseUrl: avid.gatewayUrl,
      avidTokenUrl: avid.tokenUrl,
      avidClientId: client.clientId,
      avidClientSecret: client.clientSecret,
      avidCompanyId: client.companies[0] ?? "10001",
      avidCompanyHeader: avid.companyHeader,
    },
    avidControl: avid.control,
    async close() {
      await Promise.allSettled([syspro.close(), avid.close()]);
    },
  };
}
