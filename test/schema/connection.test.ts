import { describe, expect, it } from "vitest";

import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import { seedConnection } from "./seed.js";

guardLeaks();
const gateway = useSchemaGateway();

describe("connections", () => {
  it("lists connections by name with cursor pagination", async () => {
    const { database, data } = gateway();
    for (const name of ["Bravo", "Alpha", "Charlie"]) {
      await seedConnection(database.db, { name });
    }
    const first = await data<{
      connections: {
        edges: { node: { name: string } }[];
        pageInfo: { endCursor: string; hasNextPage: boolean };
        totalCount: number;
      };
    }>(
      `{ connections(first: 2) { totalCount edges { node { name } } pageInfo { endCursor hasNextPage } } }`,
    );
    expect(first.connections.edges.map((e) => e.node.name)).toEqual(["Alpha", "Bravo"]);
    expect(first.connections.totalCount).toBe(3);
    expect(first.connections.pageInfo.hasNextPage).toBe(true);
  });
});
