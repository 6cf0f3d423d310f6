import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { auditEvents, glMappings } from "../../src/db/schema/index.js";
import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import { globalId, rawId } from "./jobs.js";
import {
  seedConnection,
  seedExactMapping,
  seedGlReferenceData,
  seedInvoice,
  seedSupplier,
} from "./seed.js";

guardLeaks();
const gateway = useSchemaGateway();

const UPSERT = /* GraphQL */ `
  mutation ($input: UpsertGlMappingInput!) {
    upsertGlMapping(input: $input) {
      __typename
      ... on MutationUpsertGlMappingSuccess {
        data {
          id
          kind
          sysproGlCode
          avidGlCode
          dimensions {
            group
            value
          }
          segment
          separator
          dimensionGroup
          values {
            from
            to
          }
          required
          note
        }
      }
      ... on ValidationError {
        issues {
          path
          message
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

type Mapping = {
  id: string;
  kind: string;
  sysproGlCode: string | null;
  avidGlCode: string | null;
  dimensions: { group: string; value: string }[];
  segment: number | null;
  dimensionGroup: string | null;
  values: { from: string; to: string }[] | null;
  required: boolean | null;
};
type UpsertResult = {
  upsertGlMapping: {
    __typename: string;
    data?: Mapping;
    issues?: { path: string[]; message: string }[];
  };
};

describe("upsertGlMapping and deleteGlMapping", () => {
  it("creates an exact mapping, then replaces it by its SYSPRO GL code", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const connectionId = globalId("Connection", connection.id);
    const created = await data<UpsertResult>(UPSERT, {
      input: {
        connectionId,
        mapping: {
          kind: "EXACT",
          sysproGlCode: " 6100-200 ",
          avidGlCode: "6100",
          dimensions: [{ group: "Department", value: "200" }],
        },
      },
    });
    expect(created.upsertGlMapping.data).toMatchObject({
      kind: "EXACT",
      sysproGlCode: "6100-200",
      avidGlCode: "6100",
      dimensions: [{ group: "Department", value: "200" }],
      segment: null,
      required: null,
    });
    const replaced = await data<UpsertResult>(UPSERT, {
      input: {
        connectionId,
        mapping: { kind: "EXACT", sysproGlCode: "6100-200", avidGlCode: "6200" },
      },
    });
    expect(replaced.upsertGlMapping.data?.id).toBe(created.upsertGlMapping.data?.id);
    expect(replaced.upsertGlMapping.data).toMatchObject({ avidGlCode: "6200", dimensions: [] });
    const rows = await database.db
      .select()
      .from(glMappings)
      .where(eq(glMappings.connectionId, connection.id));
    expect(rows).toHaveLength(1);
  });

  it("stores segment rules with 1-based segments, a GL-account target and a value table", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const connectionId = globalId("Connection", connection.id);
    const glRule = await data<UpsertResult>(UPSERT, {
      input: { connectionId, mapping: { kind: "SEGMENT", segment: 1 } },
    });
    expect(glRule.upsertGlMapping.data).toMatchObject({
      segment: 1,
      dimensionGroup: null,
      values: null,
      required: true,
    });
    const deptRule = await data<UpsertResult>(UPSERT, {
      input: {
        connectionId,
        mapping: {
          kind: "SEGMENT",
          segment: 2,
          dimensionGroup: "Department",
          values: [
            { from: "210", to: "OPS" },
            { from: "200", to: "ADM" },
          ],
          required: false,
        },
      },
    });
    expect(deptRule.upsertGlMapping.data).toMatchObject({
      segment: 2,
      dimensionGroup: "Department",
      values: [
        { from: "200", to: "ADM" },
        { from: "210", to: "OPS" },
      ],
      required: false,
    });
    const [row] = await database.db
      .select()
      .from(glMappings)
      .where(eq(glMappings.id, rawId(deptRule.upsertGlMapping.data!.id)));
    expect(row).toMatchObject({ segmentIndex: 1, segmentValues: { "210": "OPS", "200": "ADM" } });
  });

  it("refuses incomplete mappings as ValidationErrors naming the field", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const result = await data<UpsertResult>(UPSERT, {
      input: {
        connectionId: globalId("Connection", connection.id),
        mapping: { kind: "EXACT", sysproGlCode: "6100" },
      },
    });
    expect(result.upsertGlMapping).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: ["input", "mapping", "avidGlCode"],
          message: "An EXACT mapping needs the AvidXchange GL code.",
        },
      ],
    });
    const duplicateDimension = await data<UpsertResult>(UPSERT, {
      input: {
        connectionId: globalId("Connection", connection.id),
        mapping: {
          kind: "EXACT",
          sysproGlCode: "6100",
          avidGlCode: "6100",
          dimensions: [
            { group: "Department", value: "1" },
            { group: "Department", value: "2" },
          ],
        },
      },
    });
    expect(duplicateDimension.upsertGlMapping.issues).toEqual([
      { path: ["input"], message: "A dimension group appears twice." },
    ]);
  });

  it("deletes a mapping, audits it, and answers NotFoundError the second time", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const mapping = await seedExactMapping(database.db, connection.id, "7000", "7000");
    const DELETE = `mutation ($id: ID!) { deleteGlMapping(id: $id) { __typename ... on MutationDeleteGlMappingSuccess { data { deletedId connection { name } } } } }`;
    const id = globalId("GlMapping", mapping.id);
    const deleted = await data<{ deleteGlMapping: { data: { deletedId: string } } }>(DELETE, {
      id,
    });
    expect(deleted.deleteGlMapping.data.deletedId).toBe(id);
    const again = await data<{ deleteGlMapping: { __typename: string } }>(DELETE, { id });
    expect(again.deleteGlMapping.__typename).toBe("NotFoundError");
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, mapping.id));
    expect(events.map((e) => [e.type, e.actor])).toEqual([["gl_mapping.deleted", "test-admin"]]);
  });
});

const IMPORT = /* GraphQL */ `
  mutation ($input: ImportGlMappingsInput!) {
    importGlMappings(input: $input) {
      __typename
      ... on MutationImportGlMappingsSuccess {
        data {
          created
          updated
          deleted
          mappings {
            sysproGlCode
            avidGlCode
          }
        }
      }
      ... on ValidationError {
        issues {
          path
          message
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

describe("importGlMappings", () => {
  it("imports all or nothing, matching existing mappings, and replaces all when asked", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    await seedExactMapping(database.db, connection.id, "6100-200", "OLD");
    await seedExactMapping(database.db, connection.id, "9999", "GONE");
    const connectionId = globalId("Connection", connection.id);

    const bad = await data<{
      importGlMappings: { __typename: string; issues: { path: string[]; message: string }[] };
    }>(IMPORT, {
      input: {
        connectionId,
        mappings: [
          { kind: "EXACT", sysproGlCode: "6100-201", avidGlCode: "6100" },
          { kind: "EXACT", sysproGlCode: "6100-202" },
          { kind: "EXACT", sysproGlCode: "6100-201", avidGlCode: "6200" },
        ],
      },
    });
    expect(bad.importGlMappings).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: ["input", "mappings", "1", "avidGlCode"],
          message: "An EXACT mapping needs the AvidXchange GL code.",
        },
        {
          path: ["input", "mappings", "2"],
          message: "Repeats the mapping of row 0 (SYSPRO GL code 6100-201).",
        },
      ],
    });
    expect(
      await database.db.select().from(glMappings).where(eq(glMappings.connectionId, connection.id)),
    ).toHaveLength(2);

    const imported = await data<{
      importGlMappings: {
        data: {
          created: number;
          updated: number;
          deleted: number;
          mappings: { sysproGlCode: string; avidGlCode: string }[];
        };
      };
    }>(IMPORT, {
      input: {
        connectionId,
        replaceAll: true,
        mappings: [
          { kind: "EXACT", sysproGlCode: "6100-200", avidGlCode: "6100" },
          { kind: "EXACT", sysproGlCode: "6100-201", avidGlCode: "6100" },
        ],
      },
    });
    expect(imported.importGlMappings.data).toEqual({
      created: 1,
      updated: 1,
      deleted: 1,
      mappings: [
        { sysproGlCode: "6100-200", avidGlCode: "6100" },
        { sysproGlCode: "6100-201", avidGlCode: "6100" },
      ],
    });
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "gl_mappings.imported"));
    expect(event?.data).toEqual({ created: 1, updated: 1, deleted: 1, replaceAll: true, rows: 2 });
  });
});

describe("mappingReadiness", () => {
  it("lists every GL code in use without a valid target and every mapping to an inactive code", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    await seedGlReferenceData(database.db, connection.id);
    const supplier = await seedSupplier(database.db, connection.id);
    await seedInvoice(database.db, connection.id, supplier); // lines on 6100-200 and 6100-201
    await seedExactMapping(database.db, connection.id, "6100-200", "6100", { Department: "200" });
    const retired = await seedExactMapping(database.db, connection.id, "6200-300", "6999");
    const query = /* GraphQL */ `
      query ($id: ID!, $types: [String!]) {
        mappingReadiness(connectionId: $id, accountTypes: $types) {
          ready
          glCodesInUse
          mappedCount
          unmappedCount
          mappingCount
          invalidMappingCount
          unmapped {
            glCode
            reason
            problems {
              reason
              detail
            }
          }
          invalidMappings {
            reason
            detail
            mapping {
              sysproGlCode
            }
          }
          warnings {
            glCode
            detail
          }
          connection {
            name
          }
        }
      }
    `;
    type Readiness = {
      mappingReadiness: {
        ready: boolean;
        glCodesInUse: number;
        unmapped: { glCode: string; reason: string }[];
        invalidMappings: { reason: string; mapping: { sysproGlCode: string } }[];
      };
    };
    const notReady = await data<Readiness>(
      query,
      { id: globalId("Connection", connection.id) },
      "viewer",
    );
    expect(notReady.mappingReadiness).toMatchObject({
      ready: false,
      glCodesInUse: 2,
      mappedCount: 1,
      unmappedCount: 1,
      mappingCount: 2,
      invalidMappingCount: 1,
      unmapped: [{ glCode: "6100-201", reason: "UNMAPPED_GL" }],
      invalidMappings: [{ reason: "INACTIVE_TARGET", mapping: { sysproGlCode: "6200-300" } }],
    });

    await seedExactMapping(database.db, connection.id, "6100-201", "6100", { Department: "201" });
    const ready = await data<Readiness>(query, { id: globalId("Connection", connection.id) });
    expect(ready.mappingReadiness.ready).toBe(true);
    expect(ready.mappingReadiness.unmapped).toEqual([]);

    // Expense accounts count as in use before any invoice uses them (6200-300 is on hold: not counted).
    const withTypes = await data<Readiness>(query, {
      id: globalId("Connection", connection.id),
      types: ["E"],
    });
    expect(withTypes.mappingReadiness.glCodesInUse).toBe(2);
    expect(retired.id).toBeTruthy();

    const unknown = await data<{ mappingReadiness: null }>(query, {
      id: globalId("Connection", "00000000-0000-4000-8000-000000000000"),
    });
    expect(unknown.mappingReadiness).toBeNull();
  });
});
