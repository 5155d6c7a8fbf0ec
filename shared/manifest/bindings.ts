import type { Binding, QueueName } from './types.ts';

/** Bindings more than one function has, written once. */
export const TIME_ZONE = { kind: 'setting', setting: 'timeZone' } as const satisfies Binding;
export const SEND_TO = (queue: QueueName) =>
  ({ kind: 'queue', queue, commands: ['SendMessage'] }) as const satisfies Binding;
