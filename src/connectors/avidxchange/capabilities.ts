/**
 * What it takes to connect to AvidXchange, written down like Nango's `providers.yaml`: auth mode,
 * URL templates, the verification call and the credential fields (with which of them are secret).
 * Forms, docs and the connection test read this; the connector itself reads its settings.
 */
export const avidxchangeCapabilities = {
  provider: "avidxchange",
  displayName: "AvidXchange",
  docs: "contracts/avidxchange.md §9",
  authMode: "OAUTH2_CC",
  proxy: {
    baseUrl: "${connectionConfig.gatewayUrl}/v1",
    headers: {
      authorization: "Bearer ${accessToken}",
      "${connectionConfig.companyHeader}": "${connectionConfig.companyId}",
      accept: "application/json",
    },
    verification: {
      method: "GET",
      endpoints: ["/v1/vendors?pageSize=1", "/v1/enterprisecodes?groupName=Accounting%20Codes"],
    },
    paginate: { type: "page", pageParam: "pageNumber", sizeParam: "pageSize", defaultSize: 500 },
    retry: { at: "Retry-After", statuses: [429, 500, 502, 503, 504] },
  },
  token: {
    url: "${connectionConfig.tokenUrl}",
    defaultUrl: "${connectionConfig.gatewayUrl}/token",
    grantType: "client_credentials",
    clientAuthentication: "basic",
    /** Cached per (token URL, client id, company), shared by every worker. */
    cacheKey: ["tokenUrl", "clientId", "companyId"],
    refreshWhen: "shortly before expires_in elapses, or after 401 900901 (once)",
  },
  rateLimit: {
    scope: "client+company",
    defaultRequestsPerSecond: 1,
    defaultBurst: 5,
    headers: "none (WSO2 emits no X-RateLimit-*)",
  },
  connectionConfig: {
    gatewayUrl: { type: "string", format: "uri", required: true, secret: false },
    tokenUrl: { type: "string", format: "uri", required: false, secret: false },
    companyId: { type: "string", required: true, secret: false },
    companyHeader: {
      type: "string",
      required: false,
      secret: false,
      default: "X-Avid-Company-Id",
    },
  },
  credentials: {
    clientId: { type: "string", required: true, secret: false, pattern: "^\\S+$" },
    clientSecret: { type: "string", required: true, secret: true, pattern: "^\\S+$" },
  },
  webhooks: false,
} as const;

export type AvidxchangeCapabilities = typeof avidxchangeCapabilities;
