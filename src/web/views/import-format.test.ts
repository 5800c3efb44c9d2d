// The Import view's platform guess from a file's name and first lines (the SPSS guess reads bytes: see
// src/web/lib/file-upload.ts). Heads are the real exports' first lines (../shared/data, test/fixtures).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { guessFormat } from './Import.tsx';

const head = (path: string) => readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), 'utf8').slice(0, 8192);

describe('guessFormat', () => {
  it('knows a LimeSurvey response archive by its document type, whatever its name', () => {
    expect(guessFormat('survey_998192.lsr', head('limesurvey/survey_998192.lsr'))).toBe('limesurvey');
    expect(guessFormat('export.xml', head('limesurvey/survey_998192.lsr'))).toBe('limesurvey');
    expect(guessFormat('responses.lsr', '')).toBe('limesurvey');
  });
  it('does not take a LimeSurvey survey structure (.lss) or a plain CSV for responses', () => {
    expect(guessFormat('survey.xml', head('limesurvey/survey_998192.lss'))).toBe('csv');
    expect(guessFormat('answers.csv', 'id,score\n1,5\n')).toBe('csv');
  });
});
