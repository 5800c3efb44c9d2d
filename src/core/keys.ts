// Machine keys for dimensions, stages, touchpoints and segment names: stable identifiers that appear
// in CSV columns (dim:<key>, segment:<name>), URLs and filters, so they are restricted to a safe alphabet.
// Names of Object.prototype's members (constructor, __proto__, toString …) are reserved: a key is often
// used to index a dictionary, and such a name would reach an inherited member instead of a value.
import { z } from 'zod';

/** Reserved as keys, compared lower-cased: every Object.prototype member, plus `prototype`. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(
  [...Object.getOwnPropertyNames(Object.prototype), 'prototype', '__proto__', 'constructor'].map((n) => n.toLowerCase()),
);

const reservedAlternation = [...RESERVED_KEYS].map((k) => k.replace(/[^a-z0-9_]/g, '')).filter(Boolean).join('|');

/**
 * 1–40 lowercase letters, digits or _, starting with a letter, and not a reserved name. Every check of a
 * key (zod schemas, filters, CSV headers) uses this one pattern, so a reserved name is refused everywhere.
 */
export const KEY_PATTERN = new RegExp(`^(?!(?:${reservedAlternation})$)[a-z][a-z0-9_]{0,39}$`);

export const isReservedKey = (s: string) => RESERVED_KEYS.has(s.toLowerCase());

const KEY_SHAPE = /^[a-z][a-z0-9_]{0,39}$/;

export const machineKey = z
  .string()
  .regex(KEY_SHAPE, { message: 'must be 1–40 lowercase letters, digits or _ , starting with a letter', abort: true })
  .refine((s) => !isReservedKey(s), { message: 'is a reserved name (constructor, prototype, __proto__, toString …); choose another' });
