// Machine keys for dimensions, stages, touchpoints and segment names: stable identifiers that appear
// in CSV columns (dim:<key>, segment:<name>), URLs and filters, so they are restricted to a safe alphabet.
import { z } from 'zod';

export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export const machineKey = z.string().regex(KEY_PATTERN, 'must be 1–40 lowercase letters, digits or _ , starting with a letter');
