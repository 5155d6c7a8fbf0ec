import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { ConsoleConfig } from '#shared/http/console-config.ts';
import { builtConsole, consoleHeaderPolicy, consoleHeaders } from '../console-site.ts';
import { LOCAL_TOKENS } from './local-api-gateway.ts';

/**
 * The Secretariat console at `/console/` in local mode (DESIGN §10): the same build CDK deploys to
 * S3, with the headers CloudFront's response headers policy sets (one policy, `console-site.ts`),
 * and a `config.json` that points at this same origin and offers the local tokens.
 */

export const CONSOLE_PATH = '/console/';

/** What the console's files are served as (CloudFront takes S3's, which BucketDeployment sets by extension). */
export const CONSOLE_CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The local console's config: the API on this origin, the local tokens with their roles. */
export function localConsoleConfig(): ConsoleConfig {
  return {
    apiUrl: '',
    auth: {
      kind: 'local',
      tokens: Object.entries(LOCAL_TOKENS).map(([token, { groups }]) => ({
        token,
        role: groups.includes('secretariat') ? 'secretariat' : 'viewer',
      })),
    },
  };
}

/** Same origin as the API: nothing to allow beyond `'self'`. */
const HEADERS = consoleHeaders(consoleHeaderPolicy({ apiOrigins: [], identityOrigins: [] }));

/** Answers a request under `/console`; `path` is its decoded-free pathname. */
export async function serveConsole(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'METHOD_NOT_ALLOWED', message: 'The console is read with GET.' }));
    return;
  }
  if (path === '/console') {
    res.writeHead(308, { location: CONSOLE_PATH });
    res.end();
    return;
  }
  const relativePath = path.slice(CONSOLE_PATH.length) || 'index.html';
  if (relativePath === 'config.json') {
    res.writeHead(200, {
      ...HEADERS,
      'content-type': CONSOLE_CONTENT_TYPES['.json'],
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(localConsoleConfig()));
    return;
  }
  const root = await builtConsole();
  const file = normalize(join(root, relativePath));
  const contentType = CONSOLE_CONTENT_TYPES[extname(file)];
  let body: Buffer | undefined;
  if (file.startsWith(root + sep) && contentType !== undefined) {
    body = await readFile(file).catch(() => undefined);
  }
  if (body === undefined) {
    res.writeHead(404, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found.');
    return;
  }
  res.writeHead(200, {
    ...HEADERS,
    'content-type': contentType ?? 'application/octet-stream',
    // Hashed asset names never change; index.html names the current ones.
    'cache-control': relativePath.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
