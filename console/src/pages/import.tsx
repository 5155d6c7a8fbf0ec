import { useState } from 'preact/hooks';
import { useConsole } from '../context.ts';
import type { ImportResult } from '../model.ts';
import { hrefOf } from '../route.ts';
import { ErrorMessage, Notice } from '../ui.tsx';

const STATUS_WORDS: Record<string, string> = {
  valid: 'valid: would be created',
  created: 'created',
  exists: 'exists already: left as it is',
  invalid: 'not valid',
};

/**
 * Import (DESIGN §10): pick a CSV or JSON file of reviews already in flight, check it row by row
 * with a dry run, then import. The file goes to `POST /reviews/import` as it is.
 */
export function ImportPage() {
  const { api, session } = useConsole();
  const [file, setFile] = useState<{ name: string; text: string; type: string } | undefined>(undefined);
  const [result, setResult] = useState<ImportResult | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  if (session.role !== 'secretariat') {
    return (
      <>
        <h1>Import reviews</h1>
        <p class="note">Only Secretariat officers may import reviews; you are signed in as a viewer.</p>
      </>
    );
  }
  const choose = async (event: Event) => {
    const picked = (event.currentTarget as HTMLInputElement).files?.[0];
    setResult(undefined);
    setError(undefined);
    if (!picked) return setFile(undefined);
    const text = await picked.text();
    const json = picked.name.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{');
    setFile({ name: picked.name, text, type: json ? 'application/json' : 'text/csv' });
  };
  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      let body: string;
      let path = '/reviews/import';
      if (file.type === 'application/json') {
        const parsed = JSON.parse(file.text) as unknown;
        // A bare array of rows is taken as `{ reviews: [...] }`.
        const wrapped = Array.isArray(parsed) ? { reviews: parsed } : (parsed as Record<string, unknown>);
        body = JSON.stringify({ ...wrapped, dryRun });
      } else {
        body = file.text;
        if (dryRun) path += '?dryRun=true';
      }
      setResult(await api.send<ImportResult>('POST', path, body, file.type));
    } catch (caught) {
      setError(
        caught instanceof SyntaxError ? new Error(`The file is not valid JSON: ${caught.message}`) : caught,
      );
    } finally {
      setBusy(false);
    }
  };
  const counts = (result?.items ?? []).reduce<Record<string, number>>((acc, item) => {
    acc[item.status] = (acc[item.status] ?? 0) + 1;
    return acc;
  }, {});
  return (
    <>
      <h1>Import reviews</h1>
      <p>
        Bring in reviews already in flight: a CSV file with a header row (as{' '}
        <code>infra/local/sample-caseload.csv</code>) or a JSON file <code>{'{ "reviews": [...] }'}</code>, up
        to 500 rows. Check it first; a row whose reference exists already is left as it is, so importing twice
        is safe. Imported reviews start quiet: no stage notice, reminders from now on.
      </p>
      <form class="card" onSubmit={(e) => e.preventDefault()} aria-label="Import a file">
        <label>
          File
          <input type="file" accept=".csv,.json,text/csv,application/json" onChange={choose} />
        </label>
        <div class="buttons">
          <button type="button" class="secondary" disabled={!file || busy} onClick={() => send(true)}>
            Check (dry run)
          </button>
          <button type="button" class="primary" disabled={!file || busy} onClick={() => send(false)}>
            Import
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {result ? (
        <section aria-labelledby="import-result" class="card">
          <h2 id="import-result">{result.dryRun ? 'Dry run: nothing was imported' : 'Imported'}</h2>
          <Notice>
            {Object.entries(counts)
              .map(([status, count]) => `${count} ${STATUS_WORDS[status] ?? status}`)
              .join(', ')}
            .
          </Notice>
          <table>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Reference</th>
                <th scope="col">Result</th>
                <th scope="col">Problems</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((item) => (
                <tr class={item.status}>
                  <th scope="row">{item.row}</th>
                  <td>
                    {item.id ? (
                      <a href={hrefOf.review(item.id)}>{item.reference ?? item.id}</a>
                    ) : (
                      (item.reference ?? '')
                    )}
                  </td>
                  <td>{STATUS_WORDS[item.status] ?? item.status}</td>
                  <td>{(item.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
