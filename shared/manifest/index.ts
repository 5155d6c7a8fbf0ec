import { apiFunction } from './api.ts';
import { digestFunction } from './digest.ts';
import { feedbackFunction } from './feedback.ts';
import { plannerFunction } from './planner.ts';
import { escalatorFunction, mailerFunction } from './senders.ts';
import { sweepFunction } from './sweep.ts';
import type { FunctionSpec } from './types.ts';

/**
 * Every function of the app (DESIGN §7). Handlers import their own module only (so a bundle
 * carries nothing of another function); the CDK app, local mode and the tests read them all here.
 */
export const FUNCTIONS = {
  api: apiFunction,
  planner: plannerFunction,
  sweep: sweepFunction,
  mailer: mailerFunction,
  escalator: escalatorFunction,
  feedback: feedbackFunction,
  digest: digestFunction,
} as const satisfies Record<string, FunctionSpec>;

export type FunctionKey = keyof typeof FUNCTIONS;
export type { Binding, FunctionSpec, TableCommand } from './types.ts';
