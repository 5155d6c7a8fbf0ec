import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { vi } from 'vitest';

/** A logger whose lines (Powertools writes them to the process streams) are captured as JSON. */
export function capturingLogger(): {
  logger: Logger;
  records: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
  }
  const logger = new Logger({ serviceName: 'untoc-review-tracker', logLevel: 'INFO' });
  const text = () => chunks.join('');
  const records = () =>
    text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, records, text };
}

/** A Lambda context as the runtime passes it (the fields Powertools' logger reads). */
export function lambdaContext(awsRequestId: string, functionName = 'untoc-api'): Context {
  return {
    awsRequestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context;
}
