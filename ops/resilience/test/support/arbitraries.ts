/**
 * fast-check arbitraries derived from the contracts' zod schemas, through the JSON Schema zod 4
 * produces (`jsonSchemaOf` of @repo/test-support). No maintained library maps zod 4 to fast-check
 * (zod-fast-check is for zod 3), so this is a small walker over the schema kinds the contracts
 * use: object (properties, required), string (minLength, maxLength, pattern, format email),
 * integer (minimum, exclusiveMinimum, maximum), number, boolean, array (items, minItems,
 * maxItems), enum, const and anyOf. A kind it does not know fails loudly: teach it the new kind.
 */
import { type JsonSchema } from '@repo/test-support';
import fc from 'fast-check';

/** Strings of every kind: printable ASCII, any Unicode, and raw code units (controls, NUL). */
const anyString = (minLength = 0, maxLength = 40) =>
  fc.oneof(
    fc.string({ minLength, maxLength, unit: 'grapheme-ascii' }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
    fc.string({ minLength, maxLength, unit: 'binary' }),
  );

/** Addresses zod's email check accepts (fc.emailAddress allows more than it does). */
const emailArbitrary = (maxLength = 254) => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  return fc
    .tuple(
      fc.stringMatching(/^[A-Za-z0-9_+-]{1,20}(\.[A-Za-z0-9_+-]{1,10})?$/),
      fc.array(label, { minLength: 1, maxLength: 3 }),
      fc.stringMatching(/^[a-z]{2,6}$/),
    )
    .map(([local, labels, tld]) => `${local}@${labels.join('.')}.${tld}`)
    .filter((email) => email.length <= maxLength);
};

/** Values valid by the JSON Schema (mostly valid by zod too; the zod schema decides). */
export function arbitraryOf(s: JsonSchema, where = 'body'): fc.Arbitrary<unknown> {
  if (s.anyOf) return fc.oneof(...s.anyOf.map((option) => arbitraryOf(option, where)));
  if (s.enum) return fc.constantFrom(...s.enum);
  if ('const' in s) return fc.constant(s.const);
  switch (s.type) {
    case 'string': {
      const min = s.minLength ?? 0;
      const max = s.maxLength ?? min + 40;
      if (s.format === 'email') return emailArbitrary(max);
      if (s.pattern) {
        return fc
          .stringMatching(new RegExp(s.pattern))
          .filter((v) => v.length >= min && v.length <= max);
      }
      // Long limits (a note's 10,000-character body): mostly short, sometimes near the limit.
      return max > 200
        ? fc.oneof(
            { arbitrary: anyString(min, Math.min(max, 60)), weight: 4 },
            { arbitrary: fc.string({ minLength: max - 5, maxLength: max }), weight: 1 },
          )
        : anyString(min, max);
    }
    case 'integer':
      return fc.integer({
        min: s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e6),
        max: Math.min(s.maximum ?? 1e6, 2 ** 31 - 1),
      });
    case 'number':
      return fc.double({
        min: s.minimum ?? -1e6,
        max: s.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryOf(s.items ?? {}, `${where}[]`), {
        minLength: s.minItems ?? 0,
        maxLength: s.maxItems ?? 5,
      });
    case 'object': {
      const properties = s.properties ?? {};
      return fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([key, p]) => [key, arbitraryOf(p, `${where}.${key}`)]),
        ),
        { requiredKeys: s.required ?? [] },
      );
    }
    default:
      throw new Error(
        `No arbitrary for ${where}: ${JSON.stringify(s)} (teach test/support/arbitraries.ts this kind)`,
      );
  }
}

/** A value of another JSON type than the schema's, or out of its bounds. */
function wrongValueOf(s: JsonSchema): fc.Arbitrary<unknown> {
  const wrongType = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    anyString(0, 20),
  );
  const bounds: fc.Arbitrary<unknown>[] = [];
  if (s.type === 'string') {
    if (s.maxLength !== undefined)
      bounds.push(anyString(s.maxLength + 1, s.maxLength + 50), fc.constant('x'.repeat(100_000)));
    if (s.minLength) bounds.push(anyString(0, s.minLength - 1));
    if (s.pattern || s.format) bounds.push(anyString(0, 30));
    bounds.push(fc.constantFrom(' ', '   ', '\t\n'));
  }
  if (s.type === 'integer' || s.type === 'number') {
    const min = s.minimum ?? (s.exclusiveMinimum ?? -1e6) + 1;
    bounds.push(
      fc.integer({ min: -1e9, max: min - 1 }),
      fc.double({ min: 0.01, max: 1e6, noInteger: true, noNaN: true }),
      fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, 1e308, -0.5),
      fc.integer().map(String),
    );
    if (s.maximum !== undefined) bounds.push(fc.integer({ min: s.maximum + 1, max: 2 ** 53 }));
  }
  if (s.type === 'array') {
    bounds.push(fc.constant([]), fc.array(anyString(0, 10), { minLength: 1, maxLength: 4 }));
    if (s.maxItems !== undefined)
      bounds.push(
        fc.array(fc.constantFrom(...(s.items?.enum ?? ['x'])), {
          minLength: s.maxItems + 1,
          maxLength: s.maxItems + 3,
        }),
      );
  }
  if (s.enum) bounds.push(anyString(0, 10));
  if (s.anyOf) bounds.push(...s.anyOf.map(wrongValueOf));
  return bounds.length ? fc.oneof(wrongType, ...bounds) : wrongType;
}

export interface Mutant {
  label: string;
  /** The request body as sent (JSON text, or not quite). */
  text: string;
}

/**
 * A valid object mutated once: a field dropped, added, of the wrong type or out of bounds, the
 * whole body of another JSON type, or its JSON text broken. Not every mutant is invalid (a
 * dropped optional field is fine): the zod schema decides.
 */
export function mutantOf(s: JsonSchema): fc.Arbitrary<Mutant> {
  const properties = Object.entries(s.properties ?? {});
  const valid = arbitraryOf(s) as fc.Arbitrary<Record<string, unknown>>;
  const keys = properties.map(([key]) => key);
  const field = <T>(make: (key: string, p: JsonSchema) => fc.Arbitrary<T>) =>
    fc.constantFrom(...properties).chain(([key, p]) => make(key, p).map((v) => [key, v] as const));
  const mutants: fc.Arbitrary<Mutant>[] = [
    // An unknown field (the contracts' objects are strict), sometimes one a mass-assignment would want.
    fc
      .tuple(
        valid,
        fc.oneof(
          fc.constantFrom(
            'id',
            'userId',
            'role',
            'admin',
            'emailVerified',
            'version',
            'constructor',
          ),
          fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !keys.includes(k)),
        ),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([body, key, value]) => ({
        label: `+${key}`,
        text: JSON.stringify({ ...body, [key]: value }),
      })),
    // Of another JSON type altogether.
    fc
      .oneof(
        fc.constant(null),
        fc.integer(),
        fc.boolean(),
        anyString(0, 20),
        fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
      )
      .map((value) => ({ label: 'not an object', text: JSON.stringify(value) })),
    // JSON text cut short or with garbage after it.
    fc
      .tuple(valid, fc.nat(), fc.constantFrom('', ',', '}', ']', 'x', '\u0000'))
      .map(([body, cut, tail]) => {
        const text = JSON.stringify(body);
        return { label: 'broken JSON', text: text.slice(0, cut % text.length) + tail };
      }),
  ];
  if (properties.length > 0) {
    mutants.push(
      // A field removed.
      fc.tuple(valid, fc.constantFrom(...keys)).map(([body, key]) => {
        const { [key]: _removed, ...rest } = body;
        return { label: `-${key}`, text: JSON.stringify(rest) };
      }),
      // A field of the wrong type or out of its bounds.
      fc
        .tuple(
          valid,
          field((_key, p) => wrongValueOf(p)),
        )
        .map(([body, [key, value]]) => ({
          label: `${key}: wrong`,
          text: JSON.stringify({ ...body, [key]: value }),
        })),
    );
  }
  return fc.oneof(...mutants);
}

/** A query string: the valid object serialised, or mutated the same ways as a body's fields. */
export function queryOf(s: JsonSchema, mutate: boolean): fc.Arbitrary<string> {
  const properties = Object.entries(s.properties ?? {});
  const valid = arbitraryOf(s) as fc.Arbitrary<Record<string, unknown>>;
  const serialise = (entries: [string, unknown][]) =>
    new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString();
  if (!mutate) return valid.map((query) => serialise(Object.entries(query)));
  const keys = properties.map(([key]) => key);
  return fc.oneof(
    // A field with another value: any string, a number out of range, empty.
    fc
      .tuple(
        valid,
        fc.constantFrom(...keys),
        fc.oneof(
          anyString(0, 20),
          fc.integer({ min: -1e6, max: 1e9 }),
          fc.double(),
          fc.constant(''),
        ),
      )
      .map(([query, key, value]) => serialise(Object.entries({ ...query, [key]: value }))),
    // An unknown key.
    fc
      .tuple(valid, fc.string({ minLength: 1, maxLength: 10 }), anyString(0, 10))
      .map(([query, key, value]) => serialise([...Object.entries(query), [key, value]])),
    // A key twice.
    fc
      .tuple(
        valid,
        fc.constantFrom(...keys),
        fc.array(anyString(0, 6), { minLength: 2, maxLength: 3 }),
      )
      .map(([query, key, values]) =>
        serialise([
          ...Object.entries(query).filter(([k]) => k !== key),
          ...values.map((v): [string, unknown] => [key, v]),
        ]),
      ),
  );
}

/** A query string as the server's parser reads it: a repeated key becomes an array. */
export function parseQuery(text: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = result[key];
    result[key] =
      previous === undefined
        ? value
        : Array.isArray(previous)
          ? [...previous, value]
          : [previous, value];
  }
  return result;
}
