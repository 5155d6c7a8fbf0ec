import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { Route } from './route.ts';

/**
 * The OpenAPI document `GET /openapi.json` answers. Generating it takes zod's JSON Schema code
 * (about 20 KB of the bundle), so a deployed API function does not: the house construct builds
 * the document at synth, from the very routes and schemas the bundle holds, and hands it to
 * esbuild as the constant below (brotli-compressed JSON in base64, about 10 KB). esbuild then
 * drops the generating branch with everything only it imports. Unbundled (local mode, tests)
 * the constant is absent and the document is generated on first use, as it always was.
 */
declare const UNTOC_OPENAPI_DOCUMENT: string | undefined;

/** The identifier esbuild is given (`--define`) the encoded document as. */
export const OPENAPI_DOCUMENT_CONSTANT = 'UNTOC_OPENAPI_DOCUMENT';

let served: unknown;

/** The document: the one built at synth when the bundle carries it, else generated from `routes`. */
export async function servedOpenApiDocument(routes: Route[]): Promise<unknown> {
  served ??=
    typeof UNTOC_OPENAPI_DOCUMENT === 'string'
      ? decodeOpenApiDocument(UNTOC_OPENAPI_DOCUMENT)
      : (await import('./openapi.ts')).openApiDocument(routes);
  return served;
}

/** The document as the bundle carries it: JSON, brotli at its best quality, base64. */
export function encodeOpenApiDocument(document: unknown): string {
  const json = JSON.stringify(document);
  return brotliCompressSync(json, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(json),
    },
  }).toString('base64');
}

/** The inverse of {@link encodeOpenApiDocument}. */
export function decodeOpenApiDocument(encoded: string): unknown {
  return JSON.parse(brotliDecompressSync(Buffer.from(encoded, 'base64')).toString('utf8'));
}
