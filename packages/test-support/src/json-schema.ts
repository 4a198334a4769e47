/**
 * The JSON Schema zod 4 writes for a contract's schema (`z.toJSONSchema`, input side): what the
 * tests that make request bodies from the contracts walk. Only generators: whether a body is
 * valid is always decided by the zod schema itself (its transforms, such as trim, are not here).
 */
import { z } from 'zod';

/** The keywords of the schema kinds the contracts use. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  default?: unknown;
  const?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/**
 * The JSON Schema of a zod schema, every `$ref` to a named schema inside it replaced by that
 * schema (the contracts' schemas are not recursive), so walkers see one tree.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const defs = root.$defs ?? {};
  const inline = (s: JsonSchema): JsonSchema => {
    const target = s.$ref ? defs[s.$ref.replace('#/$defs/', '')] : undefined;
    if (target) return inline(target);
    const { $defs: _, ...rest } = s;
    return {
      ...rest,
      ...(s.properties
        ? {
            properties: Object.fromEntries(
              Object.entries(s.properties).map(([key, p]) => [key, inline(p)]),
            ),
          }
        : {}),
      ...(s.items ? { items: inline(s.items) } : {}),
      ...(s.anyOf ? { anyOf: s.anyOf.map(inline) } : {}),
    };
  };
  return inline(root);
}
