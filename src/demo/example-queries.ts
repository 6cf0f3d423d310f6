/**
 * The queries the demo banner prints: what the demo promises to show within minutes of `npm start`.
 * test/demo checks each against the schema and runs them against a running demo.
 */
export const EXAMPLE_QUERIES = {
  /** SYSPRO suppliers that are AvidXchange vendors now. */
  vendors: `{
  suppliers(first: 5, filter: { hasAvidVendor: true }) {
    totalCount
    edges { node { sysproCode name currency avidVendorId syncState } }
  }
}`,
  /** Invoices sent for approval, with the state AvidXchange reports back. */
  invoicesWithApproval: `{
  invoices(first: 5, filter: { approvalStates: ["In Approval", "Approved", "Paid"] }) {
    totalCount
    edges { node { invoiceNumber supplier { name } amount approvalState approvalStateAt } }
  }
}`,
  /** AvidPay payments written into the SYSPRO ledger, with SYSPRO's references. */
  postedPayments: `{
  payments(first: 5, filter: { postingStates: [POSTED] }) {
    totalCount
    edges { node { avidPaymentId supplier { name } amount status postingState sysproReferences } }
  }
}`,
  /** What waits for a person: invoices that cannot be coded, payments that do not match. */
  openExceptions: `{
  invoices: exceptions(first: 3, filter: { states: [OPEN], subjectType: "invoice" }) {
    totalCount
    edges { node { reasonCode message subjectRef } }
  }
  payments: exceptions(first: 3, filter: { states: [OPEN], subjectType: "payment" }) {
    totalCount
    edges { node { reasonCode message subjectRef } }
  }
}`,
} as const;
