import * as z from '#shared/domain/zod.ts';

/**
 * `config.json` beside the Secretariat console's files (DESIGN §10): where the API is and how
 * to sign in. Local mode writes it from the running runtime; the CDK stack writes it at deploy
 * time from the API's URL and the identity provider. The console reads it before anything else.
 */
export const ConsoleConfig = z.strictObject({
  /** The API's base URL without a trailing slash; `''` when the API shares the console's origin. */
  apiUrl: z.string().check(z.maxLength(2048)),
  auth: z.discriminatedUnion('kind', [
    /** Local mode: the local tokens, each with the role the local authorizer gives it. */
    z.strictObject({
      kind: z.literal('local'),
      tokens: z.array(z.strictObject({ token: z.string(), role: z.enum(['secretariat', 'viewer']) })),
    }),
    /** AWS: the authorization code flow with PKCE against the Hosted UI or the organisation's provider. */
    z.strictObject({
      kind: z.literal('oidc'),
      authorizationEndpoint: z.string(),
      tokenEndpoint: z.string(),
      /** Where signing out sends the browser (Cognito's `/logout`); none when absent. */
      logoutEndpoint: z.optional(z.string()),
      clientId: z.string(),
      scopes: z.string(),
      /** The claim of the access token that lists the caller's groups (DESIGN §8). */
      groupsClaim: z.string(),
    }),
  ]),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;

/** The two roles of DESIGN §4, as the console shows or hides actions for them. */
export type ConsoleRole = 'secretariat' | 'viewer';
