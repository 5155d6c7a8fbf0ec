import { createCipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { addDays, daysBetween } from '#shared/domain/calendar.ts';
import { Language } from '#shared/domain/review.ts';
import type { ReadResponseLink, ResponseLinkClaims, ResponseLinks } from '#shared/ports/response-links.ts';
import type { SigningKeyring } from '#shared/ports/signing-keyring.ts';

/**
 * Personal link tokens (DESIGN §10): the claims packed in 35 bytes (a UUID review id), sealed
 * with HMAC-SHA256 as a synthetic IV (SIV): the tag is the first 16 bytes of the HMAC of the
 * claims, and the claims are AES-256-CTR encrypted under that tag, so nothing in a token is
 * readable and one changed bit anywhere fails the tag. `base64url(tag ‖ ciphertext)`: 68
 * characters. The keys are derived (HKDF-SHA256) from the deployment's signing secret, one per
 * use, so they share nothing with the list cursors signed by the same secret. The same claims
 * give the same token (a mail sent again carries the same link).
 */

const VERSION = 1;
const TAG_BYTES = 16;
const PERSON_BYTES = 8;
/** Longest token we issue: a non-UUID id of 64 bytes. Longer is not ours. */
const MAX_TOKEN_LENGTH = 200;
const TOKEN = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATE = /^[A-Z]{3}$/;
const LANGUAGES = Language.options;
/** Expiry is stored as days since this date (two bytes reach 2179). */
const EPOCH_DATE = '2000-01-01';

interface DerivedKeys {
  mac: Buffer;
  enc: Buffer;
  person: Buffer;
  form: Buffer;
  count: Buffer;
}

const derived = new WeakMap<Uint8Array, DerivedKeys>();

function keysOf(secret: Uint8Array): DerivedKeys {
  let keys = derived.get(secret);
  if (!keys) {
    const derive = (use: string) =>
      Buffer.from(hkdfSync('sha256', secret, 'untoc-review-tracker', `respond-link/${use}`, 32));
    keys = {
      mac: derive('mac'),
      enc: derive('enc'),
      person: derive('person'),
      form: derive('form'),
      count: derive('count'),
    };
    derived.set(secret, keys);
  }
  return keys;
}

const hmac = (key: Buffer, ...parts: (string | Buffer)[]) => {
  const h = createHmac('sha256', key);
  for (const part of parts) h.update(part);
  return h.digest();
};

/** The person's digest: the address as registered, case and surrounding spaces aside. */
function personDigest(keys: DerivedKeys, email: string): Buffer {
  return hmac(keys.person, email.trim().toLowerCase()).subarray(0, PERSON_BYTES);
}

function pack(claims: ResponseLinkClaims, person: Buffer): Buffer {
  const languageIndex = LANGUAGES.indexOf(claims.language);
  if (languageIndex < 0) throw new Error(`no link for language ${claims.language}`);
  if (!STATE.test(claims.state)) throw new Error(`no link for State ${claims.state}`);
  if (!Number.isInteger(claims.stageEpoch) || claims.stageEpoch < 1 || claims.stageEpoch > 0xffffffff)
    throw new Error(`no link for stage epoch ${claims.stageEpoch}`);
  const days = daysBetween(EPOCH_DATE, claims.expiresOn);
  if (!Number.isInteger(days) || days < 0 || days > 0xffff)
    throw new Error(`no link expiring ${claims.expiresOn}`);
  const uuid = UUID.test(claims.reviewId);
  const id = uuid
    ? Buffer.from(claims.reviewId.replaceAll('-', ''), 'hex')
    : Buffer.from(claims.reviewId, 'utf8');
  if (!uuid && (id.length === 0 || id.length > 64)) throw new Error('no link for this review id');
  const flags = (uuid ? 1 : 0) | (claims.role === 'expert' ? 2 : 0) | (languageIndex << 2);
  const fixed = Buffer.alloc(4 + 3 + PERSON_BYTES + 2);
  fixed.writeUInt32BE(claims.stageEpoch, 0);
  fixed.write(claims.state, 4, 'ascii');
  person.copy(fixed, 7);
  fixed.writeUInt16BE(days, 7 + PERSON_BYTES);
  return Buffer.concat([
    Buffer.from([VERSION, flags]),
    uuid ? id : Buffer.concat([Buffer.from([id.length]), id]),
    fixed,
  ]);
}

function unpack(plain: Buffer): { claims: ResponseLinkClaims; person: Buffer } | undefined {
  if (plain.length < 2 || plain[0] !== VERSION) return undefined;
  const flags = plain[1] ?? 0;
  let offset = 2;
  let reviewId: string;
  if (flags & 1) {
    const hex = plain.subarray(offset, offset + 16).toString('hex');
    if (hex.length !== 32) return undefined;
    reviewId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    offset += 16;
  } else {
    const length = plain[offset] ?? 0;
    reviewId = plain.subarray(offset + 1, offset + 1 + length).toString('utf8');
    offset += 1 + length;
  }
  const fixed = plain.subarray(offset);
  if (fixed.length !== 4 + 3 + PERSON_BYTES + 2) return undefined;
  const language = LANGUAGES[(flags >> 2) & 7];
  const state = fixed.subarray(4, 7).toString('ascii');
  if (!language || !STATE.test(state)) return undefined;
  return {
    claims: {
      reviewId,
      stageEpoch: fixed.readUInt32BE(0),
      state,
      role: flags & 2 ? 'expert' : 'focal_point',
      language,
      expiresOn: addDays(EPOCH_DATE, fixed.readUInt16BE(7 + PERSON_BYTES)),
    },
    person: Buffer.from(fixed.subarray(7, 7 + PERSON_BYTES)),
  };
}

const ctr = (keys: DerivedKeys, iv: Buffer, data: Buffer) => {
  const cipher = createCipheriv('aes-256-ctr', keys.enc, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
};

function seal(keys: DerivedKeys, plain: Buffer): string {
  const tag = hmac(keys.mac, 'respond-link\n', plain).subarray(0, TAG_BYTES);
  return Buffer.concat([tag, ctr(keys, tag, plain)]).toString('base64url');
}

function open(keys: DerivedKeys, sealed: Buffer): Buffer | undefined {
  const tag = sealed.subarray(0, TAG_BYTES);
  const plain = ctr(keys, tag, sealed.subarray(TAG_BYTES));
  const expected = hmac(keys.mac, 'respond-link\n', plain).subarray(0, TAG_BYTES);
  return timingSafeEqual(tag, expected) ? plain : undefined;
}

/** {@link ResponseLinks} signed with the deployment's keyring. */
export class HmacResponseLinks implements ResponseLinks {
  constructor(private readonly keyring: SigningKeyring) {}

  async tokenFor(input: ResponseLinkClaims & { email: string }): Promise<string> {
    const [current] = await this.keyring.keys();
    if (!current) throw new Error('no signing key');
    const keys = keysOf(current);
    const { email, ...claims } = input;
    return seal(keys, pack(claims, personDigest(keys, email)));
  }

  async read(token: string): Promise<ReadResponseLink | undefined> {
    if (token.length < 24 || token.length > MAX_TOKEN_LENGTH || !TOKEN.test(token)) return undefined;
    const sealed = Buffer.from(token, 'base64url');
    // Only canonical base64url: one token, one spelling.
    if (sealed.length <= TAG_BYTES || sealed.toString('base64url') !== token) return undefined;
    const found = readWith(await this.keyring.keys(), sealed, token);
    if (found) return found;
    const reloaded = await this.keyring.reload();
    return reloaded ? readWith(reloaded, sealed, token) : undefined;
  }
}

function readWith(secrets: Uint8Array[], sealed: Buffer, token: string): ReadResponseLink | undefined {
  for (const secret of secrets) {
    const keys = keysOf(secret);
    const plain = open(keys, sealed);
    if (!plain) continue;
    const unpacked = unpack(plain);
    if (!unpacked) return undefined;
    const { claims, person } = unpacked;
    const form = hmac(keys.form, token).subarray(0, 16);
    return {
      claims,
      isFor: (email) => timingSafeEqual(personDigest(keys, email), person),
      tokenKey: hmac(keys.count, token).subarray(0, 16).toString('base64url'),
      formKey: form.toString('base64url'),
      acceptsForm: (value) => {
        const given = Buffer.from(value, 'base64url');
        return (
          given.length === form.length &&
          timingSafeEqual(given, form) &&
          given.toString('base64url') === value
        );
      },
    };
  }
  return undefined;
}
