/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles (an esbuild alias set by the
 * house function). The SDK's HTTP protocol imports the event-stream codec lazily, for
 * operations that stream events (S3 Select, Transcribe …), yet esbuild bundles it whole
 * (about 12 KB) into every function. No client used here has such an operation (a test reads
 * their runtime configs), so the codec is never loaded; should one ever be, the call fails
 * with this message instead of misbehaving.
 */
function refuse(): never {
  throw new Error(
    'event streams are not bundled: the house function aliases @smithy/core/event-streams away ' +
      '(shared/adapters/no-event-streams.ts); remove the alias before using an event-stream operation',
  );
}

export class EventStreamSerde {
  constructor() {
    refuse();
  }
}

export function eventStreamSerdeProvider(): never {
  return refuse();
}
