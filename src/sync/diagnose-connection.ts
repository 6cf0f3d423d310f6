import { connectorsFor } from "./connectors-for.js";

import type { AvidDiagnosis } from "../connectors/avidxchange/index.js";
import type { SysproDiagnosis } from "../connectors/syspro/index.js";
import type { ConnectorsDeps } from "./connectors-for.js";

export interface ConnectionDiagnosis {
  readonly ok: boolean;
  readonly syspro: SysproDiagnosis;
  readonly avidxchange: AvidDiagnosis;
}

/**
 * The connection test (flow 7): both systems diagnosed at once, each failure a precise sentence
 * from its connector, never a stack trace. Never throws for a remote-side failure.
 */
export async function diagnoseConnection(
  deps: ConnectorsDeps,
  connectionId: string,
  signal?: AbortSignal,
): Promise<ConnectionDiagnosis> {
  const c = await connectorsFor(deps, connectionId);
  try {
    const [syspro, avidxchange] = await Promise.all([
      c.syspro.diagnose(signal),
      c.avid.diagnose(signal),
    ]);
    return { ok: syspro.ok && avidxchange.ok, syspro, avidxchange };
  } finally {
    await c.close();
  }
}
