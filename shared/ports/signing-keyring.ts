/**
 * The deployment's signing secret with its previous version (DESIGN §10: the secret rotates
 * without breaking links still valid): the current one signs, both verify.
 */
export interface SigningKeyring {
  /** The current key, then the previous one if the secret has been rotated. */
  keys(): Promise<Uint8Array[]>;
  /**
   * Reads the secret again (at most once a minute) after a token no known key verifies: a warm
   * function keeps its keys, so a rotation made since would otherwise refuse new links.
   * @returns the keys as they are now, or undefined when nothing changed or it is too soon
   */
  reload(): Promise<Uint8Array[] | undefined>;
}
