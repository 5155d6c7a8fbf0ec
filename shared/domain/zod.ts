import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * The zod every schema in `shared/` and `functions/` is built with: `zod/mini`, whose
 * functional API lets esbuild drop what a bundle does not call (classic zod's methods, and
 * with them its JSON Schema code, ship whole in every bundle). Import this module as `z`
 * (`#shared/domain/zod.ts`), never `zod` itself: a classic schema inside a mini one would
 * bring the classic API back, and only this module sets the locale.
 *
 * zod/mini loads no locale of its own (every message would read "Invalid input"), so the
 * English one is set here, once, before any schema parses: the messages API clients and
 * logs see stay those of classic zod. Only `en` is imported (`z.locales.en` would bundle
 * every locale).
 */
z.config(en());

export * from 'zod/mini';

/**
 * A copy of `schema` carrying `metadata` (a description, an example, an `id` that names it in
 * the OpenAPI document), as classic zod's `.meta()`: the schema it is made from keeps its
 * own. `schema.register(z.globalRegistry, …)` would mark the schema itself, wherever else it
 * is used, and the `z.meta()` check would add a check, which `z.extend` then refuses.
 */
export function withMeta<T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy, metadata);
  return copy;
}
