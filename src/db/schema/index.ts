// Every table and enum, for drizzle-kit and for `createDb`'s schema. Application code imports
// tables from here.
export * from "./enums.js";
export * from "./connections.js";
export * from "./remote-state.js";
export * from "./suppliers.js";
export * from "./purchase-orders.js";
export * from "./invoices.js";
export * from "./payments.js";
export * from "./postings.js";
export * from "./gl-mappings.js";
export * from "./sync.js";
export * from "./audit.js";
export * from "./exceptions.js";
export * from "./api-keys.js";
export * from "./worker-heartbeats.js";
