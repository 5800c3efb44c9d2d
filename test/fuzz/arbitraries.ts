// fast-check arbitraries for the API fuzz suite: values shaped by a route's JSON schema (from the
// OpenAPI document, so they reach the handlers), and hostile ones (huge strings, NUL, lone surrogates,
// Object.prototype names, wrong types, deep nesting, big arrays) that must be refused with a 4xx.
import fc from 'fast-check';

export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(
    '', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\u0007\u001b[31m', '%00', '%', '../../etc/passwd', '<script>alert(1)</script>',
    "'; drop table responses; --", '=HYPERLINK("http://evil")', '+1', '-1', '@SUM(A1)', ...PROTOTYPE_NAMES,
    'segment:constructor=x', 'segment:__proto__=x', 'segment:region=EMEA;plan=premium', 'region=EMEA', '\u202Eevil', '🙂'.repeat(60),
    'NaN', 'Infinity', '1e309', '9'.repeat(400), 'true', 'null', '2025-02-30', '0000-00', '9999-12', '2025-13', 'customer', 'leader',
  ) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }, // any code point, lone surrogates included
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** Nested `depth` deep: {"a":{"a":…}} or [[[…]]]. */
const nest = (depth: number, arr: boolean): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arr ? [v] : { a: v };
  return v;
};

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 20, max: 2_000 }), fc.boolean()).map(([d, a]) => nest(d, a)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => (i % 2 ? 'x' : i))) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 5 }) },
  { weight: 1, arbitrary: protoKeyed(fc.string({ maxLength: 5 })) },
);

/** An object whose own keys include Object.prototype names (own properties, as JSON.parse makes them). */
export function protoKeyed(value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(fc.subarray(PROTOTYPE_NAMES, { minLength: 1 }), value).map(([keys, v]) => {
    const o: Record<string, unknown> = {};
    for (const k of keys) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  });
}

type Schema = Record<string, any>;

/** Values shaped by a JSON schema (as @fastify/swagger writes zod schemas), small enough to be quick. */
export function fromSchema(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.constant(undefined);
  const nullable = s.nullable ? (a: fc.Arbitrary<unknown>) => fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) }) : (a: fc.Arbitrary<unknown>) => a;
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return nullable(fc.constantFrom(...s.enum));
  const variants = s.anyOf ?? s.oneOf;
  if (Array.isArray(variants) && variants.length) return nullable(fc.oneof(...variants.map((v: Schema) => fromSchema(v, depth + 1))));
  if (Array.isArray(s.allOf) && s.allOf.length) return fromSchema(s.allOf[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'date-time') return nullable(fc.date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString()));
      const max = Math.min(s.maxLength ?? 30, 60);
      const min = Math.min(s.minLength ?? 0, max);
      if (s.pattern) {
        // fast-check cannot generate from lookarounds (e.g. the reserved-name guard): generate from the rest,
        // the server then refuses what the lookaround excludes — a refusal worth sending too.
        for (const source of [s.pattern, String(s.pattern).replace(/\(\?<?[!=][^)]*\)/g, '')]) {
          try {
            const re = new RegExp(source);
            return nullable(fc.stringMatching(re).filter((x) => x.length >= min && x.length <= (s.maxLength ?? 1000)));
          } catch {
            /* try the next form */
          }
        }
      }
      return nullable(fc.string({ minLength: min, maxLength: max }));
    }
    case 'integer':
      return nullable(fc.integer({ min: Math.max(s.minimum ?? -1000, -1e6), max: Math.min(s.maximum ?? 1000, 1e6) }));
    case 'number':
      return nullable(fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return nullable(fc.boolean());
    case 'array': {
      const max = Math.min(s.maxItems ?? 6, 8);
      return nullable(fc.array(fromSchema(s.items, depth + 1), { minLength: Math.min(s.minItems ?? 0, max), maxLength: max }));
    }
    case 'object': {
      const props: Record<string, Schema> = s.properties ?? {};
      const required: string[] = s.required ?? [];
      const record = fc.record(
        Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromSchema(v, depth + 1)])),
        { requiredKeys: required.filter((k) => k in props) },
      );
      const extra = s.additionalProperties && typeof s.additionalProperties === 'object'
        ? fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_:]{0,15}$/), fromSchema(s.additionalProperties, depth + 1), { maxKeys: 4 })
        : fc.constant({});
      return nullable(fc.tuple(record, extra).map(([a, b]) => ({ ...b, ...a })));
    }
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
  }
}

/** A schema-shaped value with one place made hostile: a replaced property, or an added (prototype-named) key. */
export function mutated(s: Schema | undefined): fc.Arbitrary<unknown> {
  return fc.tuple(fromSchema(s), hostileValue, fc.constantFrom(...PROTOTYPE_NAMES, 'colour', 'answers', 'segments'), fc.nat()).map(([base, bad, extraKey, pick]) => {
    if (!base || typeof base !== 'object' || Array.isArray(base)) return bad;
    const o = base as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length && pick % 3 !== 0) {
      const k = keys[pick % keys.length]!;
      const inner = o[k];
      // Half the time one level down, where segments, answers and list items live.
      if (inner && typeof inner === 'object' && pick % 2 === 0) {
        const ik = Array.isArray(inner) ? 0 : (Object.keys(inner)[0] ?? extraKey);
        const copy: any = Array.isArray(inner) ? [...inner] : { ...inner };
        Object.defineProperty(copy, ik, { value: bad, enumerable: true, writable: true, configurable: true });
        o[k] = copy;
      } else o[k] = bad;
    } else Object.defineProperty(o, extraKey, { value: bad, enumerable: true, writable: true, configurable: true });
    return o;
  });
}
