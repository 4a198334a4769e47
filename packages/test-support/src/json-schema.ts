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
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/** The JSON Schema of a zod schema, its `$ref` to its own component resolved. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const ref = root.$ref?.replace('#/$defs/', '');
  return ref ? root.$defs![ref]! : root;
}
