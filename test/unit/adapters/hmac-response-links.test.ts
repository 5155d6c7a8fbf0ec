import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacResponseLinks } from '#shared/adapters/hmac-response-links.ts';
import type { ResponseLinkClaims } from '#shared/ports/response-links.ts';
import type { SigningKeyring } from '#shared/ports/signing-keyring.ts';

/**
 * A secret that rotates on demand, as Secrets Manager's AWSCURRENT/AWSPREVIOUS do; `keyring()`
 * is one warm function's view of it: read when made, read again only on `reload`.
 */
function rotatingSecret() {
  let current = randomBytes(32);
  let previous: Buffer | undefined;
  const now = () => (previous ? [current, previous] : [current]);
  return {
    keyring(): SigningKeyring {
      let seen = now();
      return {
        keys: async () => seen,
        reload: async () => {
          const fresh = now();
          const changed =
            fresh.length !== seen.length || fresh.some((k, i) => !k.equals(seen[i] ?? Buffer.alloc(0)));
          seen = fresh;
          return changed ? fresh : undefined;
        },
      };
    },
    rotate() {
      previous = current;
      current = randomBytes(32);
    },
  };
}
const rotatingKeyring = () => ({ keyring: rotatingSecret().keyring() });

const CLAIMS: ResponseLinkClaims = {
  reviewId: '0b7e6a52-3c1d-4e8f-9a0b-1c2d3e4f5a6b',
  stageEpoch: 3,
  state: 'GRC',
  role: 'focal_point',
  language: 'fr',
  expiresOn: '2027-07-30',
};
const EMAIL = 'Maria.Papadopoulou@mfa.example.gr';

describe('personal link tokens (DESIGN §10)', () => {
  it('reads back exactly the claims it was made from, for that person only', async () => {
    const links = new HmacResponseLinks(rotatingKeyring().keyring);
    const token = await links.tokenFor({ ...CLAIMS, email: EMAIL });
    const read = await links.read(token);
    expect(read?.claims).toEqual(CLAIMS);
    expect(read?.isFor(' maria.papadopoulou@MFA.example.gr ')).toBe(true);
    expect(read?.isFor('someone.else@mfa.example.gr')).toBe(false);
  });

  it('is URL-safe, under 200 characters, and shows nothing of what it names', async () => {
    const links = new HmacResponseLinks(rotatingKeyring().keyring);
    const token = await links.tokenFor({ ...CLAIMS, email: EMAIL });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(200);
    const decoded = Buffer.from(token, 'base64url');
    for (const readable of ['GRC', 'fr', '2027', '0b7e6a52', 'maria', 'Maria']) {
      expect(token).not.toContain(readable);
      expect(decoded.includes(Buffer.from(readable))).toBe(false);
    }
    expect(decoded.includes(Buffer.from(CLAIMS.reviewId.replaceAll('-', ''), 'hex'))).toBe(false);
  });

  it('gives the same token for the same claims and another for any other claim', async () => {
    const links = new HmacResponseLinks(rotatingKeyring().keyring);
    const token = await links.tokenFor({ ...CLAIMS, email: EMAIL });
    expect(await links.tokenFor({ ...CLAIMS, email: EMAIL })).toBe(token);
    const others = [
      { stageEpoch: 4 },
      { state: 'CYP' },
      { role: 'expert' as const },
      { language: 'en' as const },
      { expiresOn: '2027-07-31' },
      { reviewId: '0b7e6a52-3c1d-4e8f-9a0b-1c2d3e4f5a6c' },
    ];
    for (const change of others)
      expect(await links.tokenFor({ ...CLAIMS, ...change, email: EMAIL })).not.toBe(token);
    expect(await links.tokenFor({ ...CLAIMS, email: 'other@example.org' })).not.toBe(token);
  });

  it('refuses any token with one character changed, added or taken away', async () => {
    const links = new HmacResponseLinks(rotatingKeyring().keyring);
    const token = await links.tokenFor({ ...CLAIMS, email: EMAIL });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...alphabet),
        async (at, replacement) => {
          fc.pre(token[at] !== replacement);
          const altered = token.slice(0, at) + replacement + token.slice(at + 1);
          expect(await links.read(altered)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
    expect(await links.read(token.slice(0, -1))).toBeUndefined();
    expect(await links.read(`${token}A`)).toBeUndefined();
    expect(await links.read(token.slice(1))).toBeUndefined();
  });

  it('refuses whatever else comes as a token, without throwing', async () => {
    const links = new HmacResponseLinks(rotatingKeyring().keyring);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (junk) => {
        expect(await links.read(junk)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    for (const junk of ['', 'A'.repeat(68), 'A'.repeat(5000), '../../etc/passwd', '%00', 'x'.repeat(199)]) {
      expect(await links.read(junk)).toBeUndefined();
    }
  });

  it("refuses another deployment's token (another secret)", async () => {
    const ours = new HmacResponseLinks(rotatingKeyring().keyring);
    const theirs = new HmacResponseLinks(rotatingKeyring().keyring);
    expect(await ours.read(await theirs.tokenFor({ ...CLAIMS, email: EMAIL }))).toBeUndefined();
  });

  it('still reads links made before one rotation of the secret, not before two', async () => {
    const secret = rotatingSecret();
    const warm = secret.keyring();
    const links = new HmacResponseLinks(warm);
    const before = await links.tokenFor({ ...CLAIMS, email: EMAIL });
    secret.rotate();
    // A warm function learns of the rotation when a token made with the new secret comes in.
    const after = await new HmacResponseLinks(secret.keyring()).tokenFor({ ...CLAIMS, email: EMAIL });
    expect((await links.read(after))?.claims).toEqual(CLAIMS);
    expect(after).not.toBe(before);
    expect((await links.read(before))?.claims).toEqual(CLAIMS);
    expect((await links.read(before))?.isFor(EMAIL)).toBe(true);
    secret.rotate();
    await warm.reload();
    expect(await links.read(before)).toBeUndefined();
    expect((await links.read(after))?.claims).toEqual(CLAIMS);
  });

  it('keeps the request counter key and the form key per token, and apart', async () => {
    const links = new HmacResponseLinks(rotatingKeyring().keyring);
    const a = await links.read(await links.tokenFor({ ...CLAIMS, email: EMAIL }));
    const b = await links.read(await links.tokenFor({ ...CLAIMS, state: 'CYP', email: EMAIL }));
    expect(a?.tokenKey).toBeTruthy();
    expect(a?.formKey).not.toBe(a?.tokenKey);
    expect(a?.tokenKey).not.toBe(b?.tokenKey);
    expect(a?.formKey).not.toBe(b?.formKey);
    expect(a?.acceptsForm(a.formKey)).toBe(true);
    expect(a?.acceptsForm(b?.formKey ?? '')).toBe(false);
    expect(a?.acceptsForm('')).toBe(false);
    expect(a?.acceptsForm(`${a.formKey}A`)).toBe(false);
  });

  it('round-trips every language, role, epoch and expiry a link can carry, and ids that are not UUIDs', async () => {
    const links = new HmacResponseLinks(rotatingKeyring().keyring);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          reviewId: fc.oneof(fc.uuid({ version: 4 }), fc.string({ minLength: 1, maxLength: 40 })),
          stageEpoch: fc.integer({ min: 1, max: 100_000 }),
          state: fc.stringMatching(/^[A-Z]{3}$/),
          role: fc.constantFrom('focal_point' as const, 'expert' as const),
          language: fc.constantFrom(
            'ar' as const,
            'en' as const,
            'es' as const,
            'fr' as const,
            'ru' as const,
            'zh' as const,
          ),
          expiresOn: fc
            .date({
              min: new Date('2000-01-01T00:00:00Z'),
              max: new Date('2100-12-31T00:00:00Z'),
              noInvalidDate: true,
            })
            .map((d) => d.toISOString().slice(0, 10)),
        }),
        async (claims) => {
          const token = await links.tokenFor({ ...claims, email: EMAIL });
          expect(token.length).toBeLessThan(200);
          expect((await links.read(token))?.claims).toEqual(claims);
        },
      ),
      { numRuns: 200 },
    );
  });
});
