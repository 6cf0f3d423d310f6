import { describe, expect, it } from "vitest";

import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import {
  seedAuditEvent,
  seedConnection,
  seedException,
  seedGlReferenceData,
  seedInvoice,
  seedPayment,
  seedPurchaseOrder,
  seedSupplier,
  seedTransaction,
} from "./seed.js";

guardLeaks();
const gateway = useSchemaGateway();

/** Every relation of an invoice a portal shows on its invoice list, several levels deep. */
const INVOICE_PAGE = /* GraphQL */ `
  query Page($first: Int!) {
    invoices(first: $first, orderBy: INVOICE_DATE_ASC) {
      edges {
        node {
          id
          invoiceNumber
          amount
          connection {
            name
          }
          supplier {
            sysproCode
            name
            avidVendorId
          }
          purchaseOrder {
            poNumber
            lines {
              lineNumber
            }
          }
          transaction {
            kind
            state
            auditEvents {
              type
            }
          }
          lines {
            lineNumber
            amount
            avidDimensions {
              group
              value
            }
            glAccount {
              glCode
              mapping {
                avidGlCode
              }
            }
          }
          paymentApplications {
            amount
            payment {
              avidPaymentId
              status
              sysproReferences
              supplier {
                name
              }
            }
            postings {
              state
              sysproReference
            }
          }
          paidAmount
          postings {
            kind
            state
          }
          exceptions {
            reasonCode
            subject {
              id
            }
          }
          auditTrail {
            type
            actor
          }
          approvalHistory {
            type
          }
        }
      }
    }
  }
`;

describe("no N+1: a page of invoices with every relation", () => {
  it("issues the same small number of statements for 10 and for 100 invoices", async () => {
    const { database, gql, countStatements } = gateway();
    const connection = await seedConnection(database.db);
    await seedGlReferenceData(database.db, connection.id);
    const suppliers = await Promise.all(
      Array.from({ length: 7 }, () => seedSupplier(database.db, connection.id)),
    );
    for (let i = 0; i < 100; i++) {
      const supplier = suppliers[i % suppliers.length]!;
      const po = await seedPurchaseOrder(database.db, connection.id, supplier);
      const transaction = await seedTransaction(database.db, connection.id);
      const { invoice } = await seedInvoice(database.db, connection.id, supplier, {
        invoiceDate: `2025-01-${String((i % 28) + 1).padStart(2, "0")}`,
        poNumber: po.poNumber,
        transactionId: transaction.id,
      });
      await seedPayment(database.db, connection.id, invoice);
      for (const type of ["invoice.sent", "invoice.approval_state"]) {
        await seedAuditEvent(database.db, {
          type,
          connectionId: connection.id,
          transactionId: transaction.id,
          subjectType: "invoice",
          subjectId: invoice.id,
        });
      }
      if (i % 3 === 0) {
        await seedException(database.db, connection.id, {
          subjectType: "invoice",
          subjectId: invoice.id,
        });
      }
    }

    const run = async (first: number) => {
      const { result, statements } = await countStatements(() => gql(INVOICE_PAGE, { first }));
      expect(result.body.errors).toBeUndefined();
      const edges = (result.body.data as { invoices: { edges: unknown[] } }).invoices.edges;
      expect(edges).toHaveLength(first);
      return statements;
    };
    await run(1); // warms the API key's last-used stamp, which is written at most once a minute

    const ten = await run(10);
    const hundred = await run(100);
    expect(hundred.length).toBe(ten.length);
    // 1 authentication + 1 page + one batched statement per relation loaded.
    expect(hundred.length).toBeLessThanOrEqual(21);
    expect(hundred.map(normalise).sort()).toEqual(ten.map(normalise).sort());

    // The data really came through the batched loaders.
    const body = (await gql(INVOICE_PAGE, { first: 100 })).body.data as {
      invoices: {
        edges: {
          node: {
            lines: { glAccount: { glCode: string } | null }[];
            paymentApplications: { postings: unknown[] }[];
            auditTrail: unknown[];
            exceptions: unknown[];
            purchaseOrder: { poNumber: string } | null;
          };
        }[];
      };
    };
    const nodes = body.invoices.edges.map((e) => e.node);
    expect(nodes.every((n) => n.paymentApplications[0]?.postings.length === 1)).toBe(true);
    expect(nodes.every((n) => n.auditTrail.length === 2)).toBe(true);
    expect(nodes.every((n) => n.purchaseOrder !== null)).toBe(true);
    expect(nodes.filter((n) => n.exceptions.length > 0)).toHaveLength(34);
    expect(nodes[0]?.lines.map((l) => l.glAccount?.glCode)).toEqual(["6100-200", "6100-201"]);
  });
});

/** Parameters vary with the page; the statement text (with its placeholders) must not. */
function normalise(statement: string): string {
  return statement
    .replace(/\$\d+/g, "$")
    .replace(/\((?:cast\(\$ as \w+\), )?\$\)(?:, \((?:cast\(\$ as \w+\), )?\$\))*/g, "(…)")
    .replace(/\(\$(?:, \$)*\)/g, "(…)");
}
