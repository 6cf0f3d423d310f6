/**
 * The three queries the demo banner prints (and the README repeats). Written against the names in
 * DESIGN.md's GraphQL surface; keep them in step with `schema.graphql`.
 */
export const EXAMPLE_QUERIES = {
  vendors: `{
  suppliers(first: 5) {
    edges { node { sysproCode name currency avidVendorId syncState } }
  }
}`,
  invoicesWithApproval: `{
  invoices(first: 5) {
    edges { node { invoiceNumber supplier { name } amount approvalState syncState transactionId } }
  }
}`,
  paymentsAndExceptions: `{
  payments(first: 5) {
    edges { node { avidPaymentId status amount postingState sysproReference } }
  }
  exceptions(first: 5) {
    edges { node { reasonCode message subjectRef state } }
  }
}`,
} as const;
