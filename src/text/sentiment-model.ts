// Reads the shipped sentiment model (models/sentiment.json) once per process and hands the decoded model to
// the pure scorer in src/core/text/sentiment.ts. Kept outside core because it reads a file.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeModel, type SentimentModel } from '../core/text/sentiment.ts';

export const MODEL_PATH = fileURLToPath(new URL('../../models/sentiment.json', import.meta.url));
/** A model file above this size is refused rather than parsed (the shipped one is about 1 MB). */
const MAX_MODEL_BYTES = 32 * 1024 * 1024;

const cache = new Map<string, SentimentModel>();

export function loadSentimentModel(path = MODEL_PATH): SentimentModel {
  const hit = cache.get(path);
  if (hit) return hit;
  const size = statSync(path).size;
  if (size > MAX_MODEL_BYTES) throw new Error(`${path}: ${size} bytes, more than the ${MAX_MODEL_BYTES} allowed for a model`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message})`);
  }
  const model = decodeModel(json);
  cache.set(path, model);
  return model;
}
