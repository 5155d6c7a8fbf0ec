/**
 * A stream record a consumer could not handle, kept whole (images included) so it can be
 * replayed after the stream's 24 hours: `event` is a stream event of that one record, as the
 * consumer's function takes it.
 */
export interface ParkedStreamRecord<R = unknown> {
  parkedAt: string;
  /** The error's name and code (never its message, which may quote data). */
  error: string;
  event: { Records: R[] };
}

/** Where such records are kept (an alarmed queue). */
export interface ParkedRecords {
  park(parked: ParkedStreamRecord): Promise<void>;
}
