import type { ProcessDefinition } from './process-definition.ts';

/**
 * The process definitions a deployment ships (DESIGN §9), looked up by the id each review
 * keeps. Every function resolves a review's process here, never by importing one by name.
 */
export interface ProcessRegistry {
  /** The process of a review created without one. */
  readonly defaultProcess: ProcessDefinition;
  /** Every definition, in registration order. */
  all(): readonly ProcessDefinition[];
  /** The definition with this id (ids compare case-insensitively), or undefined. */
  find(id: string): ProcessDefinition | undefined;
  /**
   * A stored review's process.
   * @throws UnknownProcessError when this deployment does not ship it
   */
  of(review: { processId: string }): ProcessDefinition;
}

/**
 * A stored review names a process this deployment does not ship (a deployment fault, not the
 * caller's: a new review's process is checked as input).
 */
export class UnknownProcessError extends Error {
  constructor(readonly processId: string) {
    super(`unknown process ${processId}`);
    this.name = 'UnknownProcessError';
  }
}

/**
 * A registry over the given definitions; the first is the default. `timeZone` is the
 * deployment's time zone of record, which every process's deadlines use.
 */
export function createProcessRegistry(
  definitions: readonly ProcessDefinition[],
  options: { timeZone?: string | undefined } = {},
): ProcessRegistry {
  const first = definitions[0];
  if (!first) throw new Error('a process registry needs at least one process');
  const byId = new Map<string, ProcessDefinition>();
  for (const definition of definitions) {
    const key = definition.id.toLowerCase();
    if (byId.has(key)) throw new Error(`process ${definition.id} is registered twice`);
    byId.set(key, options.timeZone ? { ...definition, timeZone: options.timeZone } : definition);
  }
  const list = [...byId.values()];
  const find = (id: string) => byId.get(id.toLowerCase());
  return {
    defaultProcess: list[0] ?? first,
    all: () => list,
    find,
    of: (review) => {
      const process = find(review.processId);
      if (!process) throw new UnknownProcessError(review.processId);
      return process;
    },
  };
}
