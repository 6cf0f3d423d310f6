import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
} from "graphql";
import { describe, expect, it } from "vitest";

import { schema } from "../../src/schema/index.js";

import type { GraphQLArgument, GraphQLNamedType } from "graphql";

/** Every place GraphiQL shows documentation, named as a finance user would find it. */
function undocumented(): string[] {
  const missing: string[] = [];
  const need = (where: string, description: string | null | undefined) => {
    if (!description?.trim()) {
      missing.push(where);
    }
  };
  const args = (where: string, list: readonly GraphQLArgument[]) => {
    for (const arg of list) {
      need(`${where}(${arg.name})`, arg.description);
    }
  };
  for (const type of Object.values<GraphQLNamedType>(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) {
      continue;
    }
    need(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        need(`${type.name}.${field.name}`, field.description);
        args(`${type.name}.${field.name}`, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        need(`${type.name}.${field.name}`, field.description);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        need(`${type.name}.${value.name}`, value.description);
      }
    } else if (isUnionType(type)) {
      // A union's members are documented where they are defined.
    }
  }
  return missing.sort();
}

describe("schema documentation", () => {
  it("describes every type, field, argument and enum value for GraphiQL", () => {
    expect(undocumented()).toEqual([]);
  });
});
