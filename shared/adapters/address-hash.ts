import { createHash } from 'node:crypto';

/** A stable hash of an address, for keys: the address itself is never a key or a log field. */
export function addressHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
