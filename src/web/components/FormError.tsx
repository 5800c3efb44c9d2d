// A form's errors from the API: the message for one field (shown beside it), and the banner above the
// buttons — the API's own message when no field is named, else a pointer to the fields marked.
import { ApiFailure, describeFailure } from '../lib/api.ts';

/** The first message the API gave for a field or anything under it (e.g. "filter.segments.region" under "filter"). */
export function fieldError(e: unknown, ...prefixes: string[]): string | undefined {
  if (!(e instanceof ApiFailure)) return undefined;
  const f = e.fields.find((x) => prefixes.some((p) => x.field === p || x.field.startsWith(`${p}.`)));
  return f && (f.field === prefixes[0] ? f.message : `${f.field}: ${f.message}`);
}

/** `notDone` says what did not happen ("Not sent", "Not created"). */
export function FormErrorBanner({ error, notDone }: { error: unknown; notDone: string }) {
  if (!error) return null;
  return (
    <p className="banner error" role="alert">
      {error instanceof ApiFailure && error.fields.length ? `${notDone}: check the fields marked below their box.` : describeFailure(error)}
    </p>
  );
}

/** A file's refusal: the API's message and, when it names several fields (rows, columns), the first 50 of them. */
export function FailureListBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const failure = error instanceof ApiFailure ? error : null;
  return (
    <div className="banner error" role="alert">
      <strong>Error: </strong>
      {describeFailure(error)}
      {failure && failure.fields.length > 1 && (
        <ul className="small">
          {failure.fields.slice(0, 50).map((f, i) => (
            <li key={i}>
              {f.field}: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
