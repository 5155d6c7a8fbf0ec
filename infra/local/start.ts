import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LocalState } from './local-state.ts';
import { LOCAL_POWERTOOLS_ENVIRONMENT } from './powertools-environment.ts';

// Before the runtime loads: loading it loads the shared Powertools instances (see the constant).
Object.assign(process.env, LOCAL_POWERTOOLS_ENVIRONMENT);
const { LOCAL_TOKENS, startLocal } = await import('./local-runtime.ts');

// `npm start`: the whole system on this machine. PORT picks the API port (default 3000).
// Data is kept under .local/ between runs; `npm start -- --fresh` starts empty.
const port = Number(process.env.PORT ?? 3000);
const dataDir = join(process.cwd(), '.local');
const fresh = process.argv.slice(2).includes('--fresh');
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

console.log(`
untoc-review-tracker is running locally.

  API          ${runtime.url}
  Tokens       ${Object.keys(LOCAL_TOKENS)
    .map((t) => `Authorization: Bearer ${t}`)
    .join('\n               ')}
  Mailbox      ${runtime.url}/_local/mailbox   (SES emulator web page: ${runtime.emulators.endpoints.ses})
  Clock        ${runtime.url}/_local/clock     (now ${runtime.now().toISOString()}; POST {"advance":"P7D"} to move it forward)
  Emulators    DynamoDB ${runtime.emulators.endpoints.dynamodb}, SQS ${runtime.emulators.endpoints.sqs}, SES ${runtime.emulators.endpoints.ses}
  Data         ${dataDir} (kept between runs; npm start -- --fresh starts empty)

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
