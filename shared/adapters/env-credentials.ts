import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias
 * set by the house function): Lambda, like local mode, hands credentials over in environment
 * variables, so the SSO, STS, web-identity and instance-metadata providers of the default
 * chain (and their nested clients, about 70 KB) are dead weight.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
