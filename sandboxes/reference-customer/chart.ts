/**
 * Meridian Electronics Distribution's chart of accounts, cost centres and AP terms. Fixed data (no
 * randomness): both sandboxes, the demo and the tests can name these codes directly.
 */
import type {
  ApTermsRow,
  CostCentre,
  GlCodeRow,
  NaturalAccount,
  ReferenceCustomer,
} from "./types.js";

export const COMPANY = {
  id: "MED1",
  name: "Meridian Electronics Distribution",
  currency: "USD",
} as const;

export const COST_CENTRES: readonly CostCentre[] = [
  { code: "100", name: "Central Finance" },
  { code: "210", name: "Warehouse North (Chicago)" },
  { code: "220", name: "Warehouse Central (Dallas)" },
  { code: "230", name: "Warehouse South (Atlanta)" },
];

export const WAREHOUSES: readonly { code: string; name: string; costCentre: string }[] = [
  { code: "N1", name: "Warehouse North (Chicago)", costCentre: "210" },
  { code: "C1", name: "Warehouse Central (Dallas)", costCentre: "220" },
  { code: "S1", name: "Warehouse South (Atlanta)", costCentre: "230" },
];

export const NATURAL_ACCOUNTS: readonly NaturalAccount[] = [
  { account: "1000", description: "Cash - Operating Account", accountType: "A", expense: false },
  { account: "1010", description: "Bank Clearing - AvidPay", accountType: "A", expense: false },
  { account: "1200", description: "Accounts Receivable Control", accountType: "A", expense: false },
  { account: "1300", description: "Inventory - Finished Goods", accountType: "A", expense: false },
  { account: "1500", description: "Warehouse Equipment", accountType: "A", expense: false },
  { account: "2000", description: "Accounts Payable Control", accountType: "L", expense: false },
  { account: "2100", description: "Accrued Liabilities", accountType: "L", expense: false },
  { account: "2200", description: "Sales Tax Payable", accountType: "L", expense: false },
  { account: "3000", description: "Common Stock", accountType: "C", expense: false },
  { account: "3100", description: "Retained Earnings", accountType: "C", expense: false },
  { account: "4000", description: "Sales - Components", accountType: "R", expense: false },
  { account: "4100", description: "Sales - Services", accountType: "R", expense: false },
  { account: "5000", description: "Cost of Goods Purchased", accountType: "E", expense: true },
  { account: "5100", description: "Freight In", accountType: "E", expense: true },
  { account: "6100", description: "Office Supplies", accountType: "E", expense: true },
  { account: "6200", description: "Rent and Occupancy", accountType: "E", expense: true },
  { account: "6300", description: "Utilities", accountType: "E", expense: true },
  { account: "6400", description: "Telecommunications", accountType: "E", expense: true },
  { account: "6500", description: "Repairs and Maintenance", accountType: "E", expense: true },
  { account: "6600", description: "Travel and Entertainment", accountType: "E", expense: true },
  { account: "6700", description: "Professional Fees", accountType: "E", expense: true },
  { account: "6800", description: "Insurance", accountType: "E", expense: true },
  { account: "6900", description: "Software and Subscriptions", accountType: "E", expense: true },
  { account: "7000", description: "Marketing and Trade Shows", accountType: "E", expense: true },
  {
    account: "7100",
    description: "Warehouse Supplies and Packaging",
    accountType: "E",
    expense: true,
  },
  { account: "7200", description: "Vehicle and Forklift Expense", accountType: "E", expense: true },
  { account: "7250", description: "Hazardous Waste Disposal", accountType: "E", expense: true },
  { account: "7300", description: "Temporary Labour", accountType: "E", expense: true },
  { account: "7350", description: "Customs and Import Duties", accountType: "E", expense: true },
];

/** Expense accounts invoices use that AvidXchange does not know (→ UNMAPPED_GL exceptions). */
export const UNMAPPED_ACCOUNTS: readonly string[] = ["7250", "7350"];

/** Present in AvidXchange but IsActive=false (→ a mapping that points at an inactive code). */
export const INACTIVE_AVID_ACCOUNT = "7200";

/** GL codes put on hold in SYSPRO; seeded invoices never use them, postings to them are refused. */
export const ON_HOLD_GL_CODES: readonly string[] = ["6600-230", "7000-220"];

/** Balance-sheet and revenue accounts live in Central Finance only; expenses in every cost centre. */
function costCentresOf(account: NaturalAccount): readonly CostCentre[] {
  return account.expense ? COST_CENTRES : COST_CENTRES.slice(0, 1);
}

function genMasterRow(account: NaturalAccount, costCentre: string): GlCodeRow {
  const glCode = `${account.account}-${costCentre}`;
  const centre = COST_CENTRES.find((c) => c.code === costCentre)?.name ?? "";
  return {
    Company: COMPANY.id,
    GlCode: glCode,
    Description: `${account.description} - ${centre}`.slice(0, 50),
    AccountType: account.accountType,
    ReportIndex1: account.account.slice(0, 1) + "000",
    ReportIndex2: costCentre,
    ExpenseType: account.expense ? "E" : "",
    GlGroup: account.account.slice(0, 2),
    ControlAccFlag: account.account === "2000" || account.account === "1200" ? "Y" : "N",
    AccOnHldFlag: ON_HOLD_GL_CODES.includes(glCode) ? "Y" : "N",
    TaxCode: "",
  };
}

/** All GenMaster rows of MED1, with SYSPRO's two system accounts at the end. */
export function buildGenMaster(): GlCodeRow[] {
  const rows: GlCodeRow[] = [];
  for (const account of NATURAL_ACCOUNTS) {
    for (const centre of costCentresOf(account)) {
      rows.push(genMasterRow(account, centre.code));
    }
  }
  for (const [code, description, type] of [
    ["FORCED", "Forced balance account", "C"],
    ["RETAINED", "Retained earnings (system)", "C"],
  ] as const) {
    rows.push({
      ...genMasterRow(NATURAL_ACCOUNTS[0]!, "100"),
      GlCode: code,
      Description: description,
      AccountType: type,
      ReportIndex1: "",
      ReportIndex2: "",
      GlGroup: "",
    });
  }
  return rows;
}

export function buildAvidAccountingCodes(): ReferenceCustomer["avidAccountingCodes"] {
  return NATURAL_ACCOUNTS.filter((a) => a.expense && !UNMAPPED_ACCOUNTS.includes(a.account)).map(
    (a) => ({
      CodeValue: a.account,
      Description: a.description,
      IsActive: a.account !== INACTIVE_AVID_ACCOUNT,
    }),
  );
}

export function buildAvidDimensions(): ReferenceCustomer["avidDimensions"] {
  return [
    ...COST_CENTRES.map((c) => ({
      GroupName: "Department" as const,
      CodeValue: c.code,
      Description: c.name,
      IsActive: true,
    })),
    ...WAREHOUSES.map((w) => ({
      GroupName: "Location" as const,
      CodeValue: w.code,
      Description: w.name,
      IsActive: true,
    })),
  ];
}

export const AP_TERMS: readonly ApTermsRow[] = [
  { TermsCode: "00", Description: "Due on receipt", DueDays: 0 },
  { TermsCode: "15", Description: "Net 15 days", DueDays: 15 },
  { TermsCode: "30", Description: "Net 30 days", DueDays: 30 },
  { TermsCode: "2N", Description: "2% 10 days, net 30", DueDays: 30 },
  { TermsCode: "45", Description: "Net 45 days", DueDays: 45 },
  { TermsCode: "60", Description: "Net 60 days", DueDays: 60 },
];
