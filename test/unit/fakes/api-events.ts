/** Factories for API Gateway HTTP API (payload 2.0) events, as the JWT authorizer passes them. */
export interface EventOptions {
  role?: 'secretariat' | 'viewer' | 'none' | 'anonymous';
  body?: unknown;
  rawBody?: string;
  contentType?: string | null;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  at?: string;
}

export function apiEvent(routeKey: string, options: EventOptions = {}) {
  const role = options.role ?? 'secretariat';
  const headers: Record<string, string> = { ...options.headers };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1],
    headers,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      timeEpoch: Date.parse(options.at ?? '2027-01-11T09:00:00Z'),
      ...(role === 'anonymous'
        ? {}
        : {
            authorizer: {
              jwt: {
                claims: {
                  sub: `user-${role}`,
                  ...(role === 'none' ? {} : { 'cognito:groups': `[${role}]` }),
                },
              },
            },
          }),
    },
  };
}
