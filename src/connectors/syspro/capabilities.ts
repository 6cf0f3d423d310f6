/**
 * What the SYSPRO connector needs and offers, written down like Nango's `providers.yaml`: read by
 * the connection form and the docs, never by the wire code.
 */
export const sysproCapabilities = {
  system: "syspro",
  displayName: "SYSPRO 8 (e.net REST + OData)",
  surfaces: {
    enet: {
      purpose:
        "writes: suppliers (APSSSP), AP invoices (APSTIN), GL journals (GENTJL), manual payments (APSTPM); reference look-ups (APSQRY, PORQRY, GENQRY, COMFND)",
      authMode: "session", // GET /Logon → UserId, passed as a query parameter on every call
      baseUrlTemplate: "http(s)://{host}:{port}/SYSPROWCFService/Rest",
      verification: "GET /Logon, then GET /GetLogonProfile (SYSPRO version, company name)",
      sessionRules:
        "one live session per operator; shared by every worker through the session lease; Logoff on shutdown",
      longDocuments: "POST /Transaction/PostLD above 8 KiB of encoded query",
    },
    odata: {
      purpose:
        "reads: ApSupplier, ApInvoice, ApJnlSummary, ApJnlDistrib, ApInvoicePay, PorMasterHdr, PorMasterDetail, GenMaster, TblApTerms",
      authMode: "basic",
      baseUrlTemplate: "https://{host}/SYSPRO8Odata/SYSPROOData/{company}",
      verification: "GET /ApSupplier?$select=Supplier&$top=1",
      limits: { rowsPerRequest: 5000 },
    },
  },
  credentialFields: [
    { name: "operator", label: "e.net operator", secret: false, required: true },
    { name: "operatorPassword", label: "Operator password", secret: true, required: false },
    { name: "companyId", label: "Company id", secret: false, required: true },
    { name: "companyPassword", label: "Company password", secret: true, required: false },
    {
      name: "odataUser",
      label: "OData user (operator code or e-mail)",
      secret: false,
      required: true,
    },
    { name: "odataPassword", label: "OData password", secret: true, required: true },
  ],
  settingFields: [
    {
      name: "enetBaseUrl",
      label: "e.net REST URL",
      template: "http(s)://{host}:{port}/SYSPROWCFService/Rest",
    },
    {
      name: "odataBaseUrl",
      label: "OData URL (with company)",
      template: "https://{host}/SYSPRO8Odata/SYSPROOData/{company}",
    },
  ],
} as const;
