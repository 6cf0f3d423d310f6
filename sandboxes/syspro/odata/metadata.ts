/** `$metadata` (CSDL) and the service document, generated from the table schemas. */
import { ALL_TABLES } from "../tables/schema.js";
import type { ColumnType } from "../tables/table.js";
import type { Variants } from "../types.js";
import { escapeXml } from "../xml-out.js";

function edmType(type: ColumnType, dates: Variants["odataDates"]): string {
  switch (type) {
    case "decimal":
      return "Edm.Decimal";
    case "integer":
      return "Edm.Int32";
    case "date":
      return dates === "date" ? "Edm.Date" : "Edm.DateTimeOffset";
    default:
      return "Edm.String";
  }
}

export function metadataXml(dates: Variants["odataDates"]): string {
  const types = ALL_TABLES.map(
    (t) =>
      `<EntityType Name="${t.name}"><Key>${t.key.map((k) => `<PropertyRef Name="${k}"/>`).join("")}</Key>` +
      t.columns
        .map(
          (c) =>
            `<Property Name="${escapeXml(c.name)}" Type="${edmType(c.type, dates)}"${t.key.includes(c.name) ? ' Nullable="false"' : ""}/>`,
        )
        .join("") +
      "</EntityType>",
  ).join("");
  const sets = ALL_TABLES.map(
    (t) => `<EntitySet Name="${t.name}" EntityType="SYSPRO.${t.name}"/>`,
  ).join("");
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
    `<Schema Namespace="SYSPRO" xmlns="http://docs.oasis-open.org/odata/ns/edm">${types}` +
    `<EntityContainer Name="SYSPROContainer">${sets}</EntityContainer></Schema>` +
    "</edmx:DataServices></edmx:Edmx>"
  );
}

export function serviceDocument(base: string): unknown {
  return {
    "@odata.context": `${base}/$metadata`,
    value: ALL_TABLES.map((t) => ({ name: t.name, kind: "EntitySet", url: t.name })),
  };
}
