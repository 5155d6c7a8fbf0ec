import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LocalState } from './local-state.ts';
import { LOCAL_POWERTOOLS_ENVIRONMENT } from './powertools-environment.ts';

// Before the runtime loads: loading it loads the shared Powertools instances (see the constant).
Object.assign(process.env, LOCAL_POWERTOOLS_ENVIRONMENT);
const { LOCAL_TOKENS, startLocal } = await import('./local-runtime.ts');
const { builtConsole } = await import('../console-site.ts');

// `npm start`: the whole system on this machine. PORT picks the API port (default 3000).
// Data is kept under .local/ between runs; `npm start -- --fresh` starts over. A start with no
// reviews at all imports the sample caseload, so the console opens on what a Secretariat officer
// would see; `--empty` starts with none.
const port = Number(process.env.PORT ?? 3000);
const dataDir = join(process.cwd(), '.local');
const args = process.argv.slice(2);
const fresh = args.includes('--fresh');
const empty = args.includes('--empty');
if (fresh) {
  rmSync(join(dataDir, 'dynamodb'), { recursive: true, force: true });
  for (const file of LocalState.FILES) rmSync(join(dataDir, file), { force: true });
}
console.log(
  `Starting local emulators and synthesizing the CDK app${fresh ? ' (fresh: no kept data)' : ''} …`,
);
const runtime = await startLocal({
  port,
  logDir: dataDir,
  dynamoDbPath: join(dataDir, 'dynamodb'),
  stateDir: dataDir,
});
// The console is built (Vite, once per source change) before its address is printed.
await builtConsole();
const seeded = empty ? undefined : await importSampleCaseload(runtime.url);

console.log(`
untoc-review-tracker is running locally.

  Console      ${runtime.url}/console/   (pick a token to sign in)
  API          ${runtime.url}
  Tokens       ${Object.keys(LOCAL_TOKENS)
    .map((t) => `Authorization: Bearer ${t}`)
    .join('\n               ')}
  Mailbox      ${runtime.url}/_local/mailbox   (SES emulator web page: ${runtime.emulators.endpoints.ses})
  Clock        ${runtime.url}/_local/clock     (now ${runtime.now().toISOString()}; POST {"advance":"P7D"} to move it forward)
  Emulators    DynamoDB ${runtime.emulators.endpoints.dynamodb}, SQS ${runtime.emulators.endpoints.sqs}, SES ${runtime.emulators.endpoints.ses}
  Data         ${dataDir} (kept between runs; npm start -- --fresh starts over, --empty with no reviews)${
    seeded === undefined
      ? ''
      : `\n  Sample       ${seeded} reviews imported from infra/local/sample-caseload.csv (the store held none)`
  }

Try: curl ${runtime.url}/health
Ctrl-C stops everything.`);

// An orderly stop: the API and the pollers finish what they hold, then the emulators stop. A
// second Ctrl-C, or a stop still running after STOP_GRACE_MS, ends at once (the emulators are
// killed on exit; what was in flight is put back on its queue by the next start).
const STOP_GRACE_MS = 20_000;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      console.log('Stopped without waiting.');
      process.exit(130);
    }
    stopping = true;
    console.log('\nStopping … (Ctrl-C again to stop at once)');
    setTimeout(() => {
      console.error(`Still stopping after ${STOP_GRACE_MS / 1000} s: stopped without waiting.`);
      process.exit(1);
    }, STOP_GRACE_MS).unref();
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

/**
 * Imports `infra/local/sample-caseload.csv` through the public import route, as an officer would,
 * when the store holds no review. Returns how many were created, or undefined when there were
 * reviews already.
 */
async function importSampleCaseload(url: string): Promise<number | undefined> {
  const authorization = 'Bearer local-secretariat';
  const list = await fetch(`${url}/reviews?limit=1`, { headers: { authorization } });
  if (!list.ok) throw new Error(`npm start: GET /reviews answered ${list.status}`);
  if (((await list.json()) as { items: unknown[] }).items.length > 0) return undefined;
  const csv = readFileSync(join(import.meta.dirname, 'sample-caseload.csv'), 'utf8');
  const response = await fetch(`${url}/reviews/import`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'text/csv' },
    body: csv,
  });
  if (!response.ok) throw new Error(`npm start: importing the sample caseload answered ${response.status}`);
  const result = (await response.json()) as { items: { status: string }[] };
  return result.items.filter((item) => item.status === 'created').length;
}
