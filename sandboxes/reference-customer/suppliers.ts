/**
 * Suppliers of an electronics distributor: component makers and distributors (who invoice against
 * purchase orders) and the services a warehouse business buys (freight, utilities, rent, IT, …).
 */
import { AP_TERMS } from "./chart.js";
import { int, mulberry32, pick, pickWeighted } from "./prng.js";
import type { Rng } from "./prng.js";
import type { AvidVendorSeed, SupplierRow } from "./types.js";

/** What a supplier sells decides where its invoices are distributed. */
export interface SupplierCategory {
  key: string;
  /** Goods suppliers invoice against purchase orders. */
  goods: boolean;
  /** Natural accounts its non-PO invoices are distributed to. */
  accounts: readonly string[];
  nouns: readonly string[];
  weight: number;
}

export const CATEGORIES: readonly SupplierCategory[] = [
  {
    key: "COMP",
    goods: true,
    accounts: ["5000", "5100"],
    nouns: [
      "Semiconductor",
      "Components",
      "Circuits",
      "Passive Devices",
      "Connectors",
      "Microsystems",
      "Power Devices",
      "Optoelectronics",
      "Cable & Wire",
      "Electronic Supply",
      "Capacitor",
      "Sensors",
    ],
    weight: 55,
  },
  {
    key: "FRT",
    goods: false,
    accounts: ["5100"],
    nouns: ["Freight Lines", "Logistics", "Express"],
    weight: 8,
  },
  {
    key: "UTIL",
    goods: false,
    accounts: ["6300"],
    nouns: ["Power & Light", "Water Utility", "Gas Co."],
    weight: 4,
  },
  {
    key: "TEL",
    goods: false,
    accounts: ["6400"],
    nouns: ["Telecom", "Fiber Networks", "Wireless"],
    weight: 4,
  },
  {
    key: "RENT",
    goods: false,
    accounts: ["6200"],
    nouns: ["Properties", "Realty Trust"],
    weight: 3,
  },
  {
    key: "OFF",
    goods: false,
    accounts: ["6100"],
    nouns: ["Office Supply", "Business Products"],
    weight: 5,
  },
  {
    key: "MNT",
    goods: false,
    accounts: ["6500", "7200"],
    nouns: ["Facility Services", "Forklift Service", "HVAC"],
    weight: 6,
  },
  {
    key: "PRO",
    goods: false,
    accounts: ["6700"],
    nouns: ["CPAs", "Law Group", "Consulting"],
    weight: 3,
  },
  { key: "INS", goods: false, accounts: ["6800"], nouns: ["Insurance", "Mutual"], weight: 2 },
  {
    key: "IT",
    goods: false,
    accounts: ["6900"],
    nouns: ["Software", "Cloud Services", "IT Solutions"],
    weight: 5,
  },
  {
    key: "MKT",
    goods: false,
    accounts: ["7000", "6600"],
    nouns: ["Marketing", "Expo Services", "Media"],
    weight: 2,
  },
  {
    key: "WHS",
    goods: false,
    accounts: ["7100"],
    nouns: ["Packaging", "Industrial Supply", "Pallet Co."],
    weight: 5,
  },
  { key: "LAB", goods: false, accounts: ["7300"], nouns: ["Staffing", "Workforce"], weight: 3 },
];

const PREFIXES = [
  "Apex",
  "Northgate",
  "Blue Ridge",
  "Cascade",
  "Summit",
  "Lakeshore",
  "Pioneer",
  "Keystone",
  "Redwood",
  "Meridian Park",
  "Harbor",
  "Ironwood",
  "Silverline",
  "Crescent",
  "Granite",
  "Prairie",
  "Beacon",
  "Sterling",
  "Evergreen",
  "Liberty",
  "Falcon",
  "Orion",
  "Vector",
  "Quantum",
  "Delta",
  "Horizon",
  "Pinnacle",
  "Coastal",
  "Midwest",
  "Tri-State",
  "Great Lakes",
  "Lone Star",
  "Peachtree",
  "Magnolia",
  "Frontier",
  "Atlas",
  "Vanguard",
  "Nova",
  "Zenith",
  "Bayside",
];
const SUFFIXES = ["Inc.", "LLC", "Corp.", "Co.", "Ltd.", "Group", "Partners", ""];
const CITIES = [
  ["Chicago", "IL", "606"],
  ["Dallas", "TX", "752"],
  ["Atlanta", "GA", "303"],
  ["San Jose", "CA", "951"],
  ["Austin", "TX", "787"],
  ["Phoenix", "AZ", "850"],
  ["Columbus", "OH", "432"],
  ["Denver", "CO", "802"],
  ["Raleigh", "NC", "276"],
  ["Minneapolis", "MN", "554"],
  ["Portland", "OR", "972"],
  ["Nashville", "TN", "372"],
] as const;
const FOREIGN = [
  ["CAD", "Toronto", "ON", "Canada", "M5V 2T6"],
  ["EUR", "Eindhoven", "Noord-Brabant", "Netherlands", "5611 AB"],
] as const;
const STREETS = [
  "Commerce Dr",
  "Industrial Pkwy",
  "Technology Blvd",
  "Main St",
  "Enterprise Way",
  "Logistics Ct",
];
const FIRST = [
  "Dana",
  "Chris",
  "Morgan",
  "Jordan",
  "Alex",
  "Taylor",
  "Sam",
  "Jamie",
  "Robin",
  "Casey",
];
const LAST = [
  "Nguyen",
  "Patel",
  "Garcia",
  "Smith",
  "Johnson",
  "Kowalski",
  "Okafor",
  "Chen",
  "Rivera",
  "Larsen",
];

/** Draws a supplier category by weight. */
export function categoryOf(rng: Rng): SupplierCategory {
  return pickWeighted(
    rng,
    CATEGORIES.map((c) => [c, c.weight] as const),
  );
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "")
    .slice(0, 20);
}

function uniqueName(rng: Rng, category: SupplierCategory, taken: Set<string>): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const name =
      `${pick(rng, PREFIXES)} ${pick(rng, category.nouns)} ${pick(rng, SUFFIXES)}`.trim();
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  const name = `${pick(rng, PREFIXES)} ${pick(rng, category.nouns)} ${taken.size + 1}`;
  taken.add(name);
  return name;
}

/** ApSupplier rows plus the category each one belongs to (same order). */
export function buildSuppliers(
  seed: number,
  count: number,
  startDate: string,
): { rows: SupplierRow[]; categories: SupplierCategory[] } {
  const rng = mulberry32(seed ^ 0x5eed5);
  const taken = new Set<string>();
  const rows: SupplierRow[] = [];
  const categories: SupplierCategory[] = [];
  for (let i = 0; i < count; i++) {
    // Guarantee a goods supplier and a services supplier even in tiny fixtures.
    const category = i === 0 ? CATEGORIES[0]! : i === 1 ? CATEGORIES[1]! : categoryOf(rng);
    const name = uniqueName(rng, category, taken);
    const foreign = rng() < 0.05 ? pick(rng, FOREIGN) : undefined;
    const [city, state, zip3] = pick(rng, CITIES);
    const contact = `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
    const addedDaysAgo = int(rng, 60, 3650);
    const added = new Date(Date.parse(`${startDate}T00:00:00Z`) - addedDaysAgo * 86_400_000);
    rows.push({
      Supplier: String(i + 1).padStart(7, "0"),
      SupplierName: name,
      SupShortName: name.slice(0, 10),
      Currency: foreign?.[0] ?? "USD",
      TermsCode: pick(rng, AP_TERMS).TermsCode,
      Branch: "10",
      Bank: "FB",
      OnHold: rng() < 0.02 ? "Y" : "N",
      SupplierClass: category.key,
      SupplierType: "P",
      MerchGlCode: `${category.accounts[0]}-100`,
      FreightGlCode: "5100-100",
      Email: `ap@${slug(name)}.example.com`,
      Telephone: `${int(rng, 200, 989)}-555-${String(int(rng, 0, 9999)).padStart(4, "0")}`,
      Contact: contact,
      SupAddr1: `${int(rng, 10, 9999)} ${pick(rng, STREETS)}`,
      SupAddr2: rng() < 0.3 ? `Suite ${int(rng, 100, 900)}` : "",
      SupAddr3: foreign?.[1] ?? city,
      SupAddr4: foreign?.[2] ?? state,
      SupAddr5: foreign?.[3] ?? "USA",
      SupPostalCode: foreign?.[4] ?? `${zip3}${String(int(rng, 0, 99)).padStart(2, "0")}`,
      DateSuppAdded: added.toISOString().slice(0, 10),
      TaxRegnNum: `${int(rng, 10, 99)}-${String(int(rng, 0, 9_999_999)).padStart(7, "0")}`,
      PayByEft: rng() < 0.7 ? "Y" : "N",
    });
    categories.push(category);
  }
  return { rows, categories };
}

/** Three vendors AvidXchange knows and SYSPRO does not (vendor → supplier direction). */
export function buildAvidOnlyVendors(): AvidVendorSeed[] {
  const vendors = [
    ["Clearwater Calibration Labs", "Milwaukee", "WI", "53202", "414-555-0141"],
    ["Redline Courier Services", "Houston", "TX", "77002", "713-555-0178"],
    ["Brightpath Training Co.", "Charlotte", "NC", "28202", "704-555-0123"],
  ] as const;
  return vendors.map(([name, city, state, zip, phone], i) => ({
    ExternalVendorCode: `AVX${String(i + 1).padStart(4, "0")}`,
    Name: name,
    NameOnCheck: name,
    FedTaxId: `8${i + 1}-55501${i}${i}`,
    Address: {
      Line1: `${100 + i * 11} Market St`,
      Line2: "",
      City: city,
      State: state,
      Country: "USA",
      PostalCode: zip,
    },
    Telephone1: phone,
    Email: `billing@${slug(name)}.example.com`,
    Website: `https://www.${slug(name)}.example.com`,
    Active: true,
  }));
}
