/**
 * The deployment's secret for what the API signs (list cursors today), so that nothing a
 * client holds can be forged and no identifier is derived from data without a secret
 * (DESIGN §4). Read once per cold start, when first needed.
 */
export interface SigningKey {
  /** The key's bytes. */
  get(): Promise<Uint8Array>;
}
