import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { functionsByArn, type LocalFunction } from './local-functions.ts';
import { resourcesOfType, type StackTemplate, type TemplateResolver } from './template.ts';

/**
 * The template's HTTP API routes as a local router: each `AWS::ApiGatewayV2::Route` with its
 * integration's function and its authorization type. Requests become payload-2.0 events,
 * as API Gateway would send them.
 */

/** Local bearer tokens and the groups the JWT authorizer would pass for them. */
export const LOCAL_TOKENS: Record<string, { sub: string; groups: string }> = {
  'local-secretariat': { sub: 'local-secretariat', groups: '[secretariat]' },
  'local-viewer': { sub: 'local-viewer', groups: '[viewer]' },
};

/** The claims a token carries, its groups under the claim name the API function is configured with. */
function claimsOf(token: string | undefined, fn: LocalFunction): Record<string, string> | undefined {
  const known = token === undefined ? undefined : LOCAL_TOKENS[token];
  if (!known) return undefined;
  return { sub: known.sub, [fn.environment.GROUPS_CLAIM ?? 'cognito:groups']: known.groups };
}

/** API Gateway's HTTP API payload limit; the function enforces the contract's 64 KB itself. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

interface LocalRoute {
  method: string;
  pattern: RegExp;
  paramNames: string[];
  routeKey: string;
  authorization: string;
  fn: LocalFunction;
}

export function localRoutes(
  stacks: StackTemplate[],
  resolver: TemplateResolver,
  functions: Map<string, LocalFunction>,
): LocalRoute[] {
  const byArn = functionsByArn(functions, resolver);
  return resourcesOfType(stacks, 'AWS::ApiGatewayV2::Route').map(({ stackName, resource }) => {
    const props = resource.Properties ?? {};
    const routeKey = String(props.RouteKey);
    const target = JSON.stringify(props.Target ?? '');
    const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1];
    const integration = integrationId
      ? stacks.find((s) => s.stackName === stackName)?.template.Resources[integrationId]
      : undefined;
    const arn = integration && resolver.resolveString(stackName, integration.Properties?.IntegrationUri);
    const fn = arn ? byArn.get(arn) : undefined;
    if (!fn) throw new Error(`local runtime: route ${routeKey} has no local function`);
    const [method = '', path = ''] = routeKey.split(' ');
    const paramNames: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/\{(\w+)\+?\}/g, (_, name: string) => {
        paramNames.push(name);
        return '([^/]+)';
      })}$`,
    );
    return {
      method,
      pattern,
      paramNames,
      routeKey,
      authorization: String(props.AuthorizationType ?? 'NONE'),
      fn,
    };
  });
}

function send(
  res: ServerResponse,
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(statusCode, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Serves one request through the routes, with `now` as the request's time. */
export async function serveApiRequest(
  routes: LocalRoute[],
  req: IncomingMessage,
  res: ServerResponse,
  now: () => Date,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
  if (!route) {
    send(res, 404, { error: 'NOT_FOUND', message: 'No such route.' });
    return;
  }
  const body = await readBody(req);
  if (body === 'too_large') {
    send(res, 413, { error: 'PAYLOAD_TOO_LARGE', message: 'Request too large.' });
    return;
  }
  let claims: Record<string, string> | undefined;
  if (route.authorization === 'JWT') {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    claims = claimsOf(token, route.fn);
    if (!claims) {
      send(res, 401, { error: 'UNAUTHENTICATED', message: 'A valid bearer token is required.' });
      return;
    }
  }
  const match = route.pattern.exec(url.pathname);
  const pathParameters = Object.fromEntries(
    route.paramNames.map((name, i) => {
      const raw = match?.[i + 1] ?? '';
      try {
        return [name, decodeURIComponent(raw)];
      } catch {
        return [name, raw];
      }
    }),
  );
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  }
  const at = now();
  const event = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.paramNames.length > 0 ? { pathParameters } : {}),
    ...(body.length > 0
      ? { body: body.toString('utf8'), isBase64Encoded: false }
      : { isBase64Encoded: false }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: at.toISOString(),
      timeEpoch: at.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
  };
  try {
    const result = (await route.fn.invoke(event)) as
      | { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean }
      | string
      | undefined;
    if (result === undefined || typeof result === 'string' || result.statusCode === undefined) {
      send(res, 200, typeof result === 'string' ? result : JSON.stringify(result ?? null));
      return;
    }
    const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
    res.writeHead(result.statusCode, result.headers ?? {});
    res.end(payload);
  } catch (error) {
    // API Gateway's answer when the function itself fails.
    console.error(`local runtime: ${route.routeKey} failed`, error);
    send(res, 500, { error: 'INTERNAL', message: 'Internal Server Error' });
  }
}
