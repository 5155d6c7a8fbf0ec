import type { ProcessDefinition } from '../process-definition.ts';
import { UNCAC_PROCESS } from './uncac.ts';
import { UNTOC_PROCESS } from './untoc.ts';

/**
 * The processes this deployment ships (DESIGN §9), the default first. Adding one is adding
 * its definition file and its translations, and its line here.
 */
export const BUILT_IN_PROCESSES: readonly ProcessDefinition[] = [UNTOC_PROCESS, UNCAC_PROCESS];
