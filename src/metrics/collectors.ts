import type { Metrics } from "./registry.js";
import type { Sql } from "postgres";

/**
 * Scrape-time gauges read from the database: open exceptions per connection and poll lag per
 * stream (now minus the watermark). Read at scrape, not pushed, so every api replica reports the
 * same truth whichever worker moved the watermark.
 */
export function collectFromDatabase(metrics: Metrics, sql: Sql): void {
  metrics.onCollect(async ({ exceptionsOpen, pollLagSeconds }) => {
    const [open, lag] = await Promise.all([
      sql<{ connection: string; n: number }[]>`
        select c.name as connection, count(e.id)::int as n
        from connections c
        left join exceptions e on e.connection_id = c.id and e.state in ('open', 'retrying')
        group by c.name`,
      sql<{ connection: string; stream: string; lag: number }[]>`
        select c.name as connection, w.stream,
               extract(epoch from (now() - w.changed_at))::float8 as lag
        from watermarks w join connections c on c.id = w.connection_id`,
    ]);
    exceptionsOpen.reset();
    for (const row of open) {
      exceptionsOpen.set({ connection: row.connection }, row.n);
    }
    pollLagSeconds.reset();
    for (const row of lag) {
      pollLagSeconds.set({ connection: row.connection, stream: row.stream }, Math.max(0, row.lag));
    }
  });
}
