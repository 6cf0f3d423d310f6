import type { Sql } from "postgres";

export interface QueuedJob {
  readonly task: string;
  readonly payload: Record<string, unknown>;
  readonly queue: string | null;
  readonly key: string | null;
}

/** Jobs waiting in graphile-worker's queue, oldest first (nothing runs them in these tests). */
export async function queuedJobs(sql: Sql, task?: string): Promise<QueuedJob[]> {
  // graphile-worker 0.17 keeps jobs in private tables; its public view omits the payload.
  const rows = await sql<
    { task: string; payload: Record<string, unknown>; queue: string | null; key: string | null }[]
  >`
    select t.identifier as task, j.payload, q.queue_name as queue, j.key
    from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
    where ${task ?? null}::text is null or t.identifier = ${task ?? null}
    order by j.id`;
  return rows.map((row) => ({ ...row }));
}

/** The raw id inside a Relay global id. */
export const rawId = (globalId: string): string =>
  Buffer.from(globalId, "base64").toString("utf8").split(":").slice(1).join(":");

export const globalId = (typename: string, id: string): string =>
  Buffer.from(`${typename}:${id}`).toString("base64");
