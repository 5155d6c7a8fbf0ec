import { createWriteStream } from 'node:fs';

/**
 * The handlers run in this process in local mode: their Powertools logger writes JSON lines to
 * stdout and its metrics warn on stderr, and CDK announces each bundle there too. While the
 * bench runs, both streams go to a log file; the report goes to stdout through
 * {@link QuietOutput.print} and progress to stderr through {@link progress}.
 */
export interface QuietOutput {
  /** Writes to the real stdout. */
  print(text: string): void;
  /** Gives both streams back and closes the log file. */
  restore(): Promise<void>;
}

const realStdoutWrite = process.stdout.write.bind(process.stdout);
const realStderrWrite = process.stderr.write.bind(process.stderr);

/** Bench progress, on the real stderr, so stdout carries only the report. */
export function progress(message: string): void {
  realStderrWrite(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export function quietOutput(logFile: string): QuietOutput {
  const log = createWriteStream(logFile, { flags: 'w' });
  // Writers call `write(chunk, callback)` or `write(chunk, encoding, callback)`.
  const toLog = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    return log.write(chunk, callback);
  }) as typeof process.stdout.write;
  process.stdout.write = toLog;
  process.stderr.write = toLog;
  return {
    print: (text) => {
      realStdoutWrite(text.endsWith('\n') ? text : `${text}\n`);
    },
    restore: () =>
      new Promise<void>((resolve) => {
        process.stdout.write = realStdoutWrite;
        process.stderr.write = realStderrWrite;
        log.end(() => resolve());
      }),
  };
}
