/**
 * The seeded operators and company. MLCONNECT is the connector's dedicated e.net operator (contract
 * §4.1: never share an operator with a human); the others exist to produce each permission failure.
 */
import type { CompanyConfig, OperatorConfig } from "./types.js";

export const DEFAULT_COMPANY_PASSWORD = "meridian";

export const DEFAULT_OPERATORS: readonly OperatorConfig[] = [
  {
    operator: "MLCONNECT",
    password: "Enet#2026",
    name: "ml-connector integration",
    email: "mlconnect@meridian.example.com",
    enetAccess: true,
    licensed: ["*"],
    odataPassword: "OData#2026",
  },
  {
    operator: "ADMIN",
    password: "admin",
    name: "System administrator",
    email: "admin@meridian.example.com",
    enetAccess: true,
    licensed: ["*"],
    odataPassword: "admin-odata",
  },
  {
    operator: "APCLERK",
    password: "apclerk",
    name: "AP clerk (AP and system objects only)",
    email: "apclerk@meridian.example.com",
    enetAccess: true,
    licensed: ["AP", "COM"],
  },
  {
    operator: "NOENET",
    password: "noenet",
    name: "Operator without e.net access",
    email: "noenet@meridian.example.com",
    enetAccess: false,
    licensed: [],
  },
];

/** The credentials a connector (or the demo) uses against a default sandbox. */
export interface SysproSandboxCredentials {
  operator: string;
  operatorPassword: string;
  companyId: string;
  companyPassword: string;
  odataUser: string;
  odataPassword: string;
}

export function credentialsOf(
  operator: OperatorConfig,
  company: CompanyConfig,
): SysproSandboxCredentials {
  return {
    operator: operator.operator,
    operatorPassword: operator.password,
    companyId: company.id,
    companyPassword: company.password,
    odataUser: operator.operator,
    odataPassword: operator.odataPassword ?? "",
  };
}
