import { it } from "vitest";
import { suppliers, syncRuns } from "../../src/db/schema/index.js";
import { startSyncHarness } from "./harness.js";
it("dbg", async () => {
  const h = await startSyncHarness();
  await h.sync("suppliers");
  await h.sync("suppliers");
  const rows = await h.t.db.select().from(suppliers);
  console.log(JSON.stringify(rows.slice(0,1), null, 1));
  console.log(JSON.stringify(await h.t.db.select().from(syncRuns)));
  await h.close();
});
