import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENTRY_METADATA_KEY, HANDLER_METADATA_KEY } from '../house-function.ts';
import { resourcesOfType, type StackTemplate, type TemplateResolver } from './template.ts';

/** A Lambda function of the template, run in this process from its source entry. */
export interface LocalFunction {
  stackName: string;
  logicalId: string;
  /** Source entry relative to the project root, from the house construct's metadata. */
  entry: string;
  handlerName: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  /** The whole environment the function runs with: the runtime's variables and the template's. */
  runtimeEnvironment(): Record<string, string>;
  /** Calls the handler with an event, importing the module (cold start) on first use. */
  invoke(event: unknown): Promise<unknown>;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** One invocation as local mode makes it: the event and the whole environment the function runs with. */
export interface LocalInvocation {
  logicalId: string;
  entry: string;
  handlerName: string;
  event: unknown;
  environment: Record<string, string>;
}

/**
 * Builds the local functions from the template: entry and handler from the house
 * construct's metadata, environment resolved against the local resources. The module is
 * imported once, with its environment applied first, as a Lambda cold start would.
 */
export function localFunctions(
  stacks: StackTemplate[],
  resolver: TemplateResolver,
  projectRoot: string,
  baseEnvironment: Record<string, string>,
  observe?: (invocation: LocalInvocation) => void,
): Map<string, LocalFunction> {
  const functions = new Map<string, LocalFunction>();
  for (const { stackName, logicalId, resource } of resourcesOfType(stacks, 'AWS::Lambda::Function')) {
    const entry = resource.Metadata?.[ENTRY_METADATA_KEY];
    const handlerName = resource.Metadata?.[HANDLER_METADATA_KEY];
    // Functions CDK adds for itself (log retention, custom resources) have no source entry.
    if (typeof entry !== 'string' || typeof handlerName !== 'string') continue;
    const props = resource.Properties ?? {};
    const variables = ((props.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {}) as Record<string, unknown>;
    const environment = Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, resolver.resolveString(stackName, v)]),
    );
    for (const name of Object.keys(environment)) functionVariables.add(name);
    const functionName = `${stackName}-${logicalId}`;
    const fullEnvironment = (): Record<string, string> => ({
      ...baseEnvironment,
      ...environment,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(props.MemorySize ?? 128),
    });
    let loaded: Promise<Handler> | undefined;
    const load = (): Promise<Handler> => {
      // One cold start at a time, each seeing exactly its own environment as Lambda gives it (the
      // template's variables and the runtime's own), not what another function was given: a
      // binding missing in the template fails here as it would on AWS.
      loaded ??= coldStarts.then(() =>
        withEnvironment(fullEnvironment(), async () => {
          const module = (await import(pathToFileURL(join(projectRoot, entry)).href)) as Record<
            string,
            unknown
          >;
          const handler = module[handlerName];
          if (typeof handler !== 'function') throw new Error(`${entry} exports no function ${handlerName}`);
          return handler as Handler;
        }),
      );
      coldStarts = loaded.then(
        () => undefined,
        () => undefined,
      );
      return loaded;
    };
    const timeoutSeconds = Number(props.Timeout ?? 3);
    const fn: LocalFunction = {
      stackName,
      logicalId,
      entry,
      handlerName,
      environment,
      timeoutSeconds,
      runtimeEnvironment: fullEnvironment,
      async invoke(event) {
        observe?.({ logicalId, entry, handlerName, event, environment: fullEnvironment() });
        const handler = await load();
        const started = Date.now();
        const context = {
          functionName,
          functionVersion: '$LATEST',
          invokedFunctionArn: functionArn(baseEnvironment.AWS_REGION ?? 'us-east-1', functionName),
          memoryLimitInMB: String(props.MemorySize ?? 128),
          awsRequestId: randomUUID(),
          logGroupName: `/aws/lambda/${functionName}`,
          logStreamName: 'local',
          callbackWaitsForEmptyEventLoop: true,
          getRemainingTimeInMillis: () => Math.max(0, timeoutSeconds * 1000 - (Date.now() - started)),
          done() {},
          fail() {},
          succeed() {},
        };
        return handler(event, context);
      },
    };
    functions.set(`${stackName}/${logicalId}`, fn);
    resolver.register(stackName, logicalId, {
      ref: functionName,
      attributes: { Arn: functionArn(baseEnvironment.AWS_REGION ?? 'us-east-1', functionName) },
    });
  }
  return functions;
}

function functionArn(region: string, functionName: string): string {
  return `arn:aws:lambda:${region}:000000000000:function:${functionName}`;
}

/** Cold starts run one after another: each replaces the process environment while it runs. */
let coldStarts: Promise<void> = Promise.resolve();

/** Every variable some function of the template is given: none leaks into another's cold start. */
const functionVariables = new Set<string>();

/**
 * Runs `work` with the process environment set to `env`, without any other function's
 * variables, then puts the previous environment back.
 */
async function withEnvironment<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const name of functionVariables) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

/** The local functions by ARN, as integrations, subscriptions and rule targets name them. */
export function functionsByArn(
  functions: Map<string, LocalFunction>,
  resolver: TemplateResolver,
): Map<string, LocalFunction> {
  return new Map(
    [...functions.values()].map((fn) => [
      resolver.resolveString(fn.stackName, { 'Fn::GetAtt': [fn.logicalId, 'Arn'] }),
      fn,
    ]),
  );
}
