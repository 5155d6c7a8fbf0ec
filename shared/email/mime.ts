import { Temporal } from 'temporal-polyfill';
import type { Attachment, OutgoingMail } from '#shared/ports/mail.ts';

/**
 * RFC 5322 / 2045–2047 messages for SES `SendRawEmail`, which we need for the `.ics`
 * attachment. The output is pure ASCII with CRLF line ends: non-ASCII header text travels as
 * encoded words and every body part as base64. SES adds the Message-ID; message tags go in
 * the API call, not here.
 */

const CRLF = '\r\n';
const encoder = new TextEncoder();
/** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters. */
const SOFT_LIMIT = 78;
/** RFC 2047 §2: an encoded word is at most 75 characters, a line holding one at most 76. */
const WORD_LIMIT = 75;
const ENCODED_LINE_LIMIT = 76;
const WORD_OVERHEAD = '=?UTF-8?B?'.length + '?='.length;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Header text: a CR or LF (or any control character) becomes a space, so no value can start a header. */
function headerText(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD').replace(/\p{Cc}/gu, ' ');
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Base64 in 76-character lines (RFC 2045 §6.8). */
function base64Body(bytes: Uint8Array): string {
  return (base64(bytes).match(/.{1,76}/g) ?? []).join(CRLF);
}

/**
 * `=?UTF-8?B?…?=` words, each at most 75 characters, split between code points so no UTF-8
 * sequence is cut. `used` is how much of the first line the header name already takes.
 */
function encodedWords(value: string, used: number): string[] {
  const bytesFor = (room: number) => Math.floor((Math.min(WORD_LIMIT, room) - WORD_OVERHEAD) / 4) * 3;
  const words: string[] = [];
  let budget = bytesFor(ENCODED_LINE_LIMIT - used);
  let chunk = '';
  let size = 0;
  const flush = () => {
    words.push(`=?UTF-8?B?${base64(encoder.encode(chunk))}?=`);
    chunk = '';
    size = 0;
    budget = bytesFor(ENCODED_LINE_LIMIT - 1);
  };
  for (const cp of value) {
    const n = encoder.encode(cp).length;
    if (size + n > budget && chunk !== '') flush();
    chunk += cp;
    size += n;
  }
  if (chunk !== '') flush();
  return words;
}

/**
 * Plain ASCII folded at spaces when it reads the same after unfolding; undefined when it needs
 * encoded words (non-ASCII, `=?` that a reader would try to decode, edge whitespace, or a
 * word too long to fold).
 */
function foldedAscii(name: string, value: string): string | undefined {
  if (!/^[\x20-\x7e]*$/.test(value) || value.includes('=?') || value !== value.trim()) return undefined;
  const lines: string[] = [];
  let current = `${name}:${value === '' ? '' : ' '}`;
  for (const token of value.split(/(?= )/)) {
    if (token.startsWith(' ') && token.trim() !== '' && current.length + token.length > SOFT_LIMIT) {
      lines.push(current);
      current = token;
    } else {
      current += token;
    }
  }
  lines.push(current);
  return lines.every((line) => line.length <= SOFT_LIMIT) ? lines.join(CRLF) : undefined;
}

/** An unstructured header (Subject): ASCII as is, anything else as RFC 2047 encoded words. */
export function encodeHeader(name: string, value: string): string {
  const text = headerText(value);
  const ascii = foldedAscii(name, text);
  if (ascii !== undefined) return ascii;
  const prefix = `${name}: `;
  return prefix + encodedWords(text, prefix.length).join(`${CRLF} `);
}

const ADDR_SPEC = /^[^\s<>(),;:"\\@]+@[^\s<>(),;:"\\@]+$/;

/**
 * An address header (From, To): `name <addr>` or a bare address. Control characters are
 * dropped, and anything but exactly one address (a comma, a second `<…>`) is refused, so a
 * value can neither add a header nor add a recipient.
 */
export function encodeAddressHeader(name: string, value: string): string {
  const text = value.replace(/\p{Cc}/gu, '').trim();
  const match = /^(.*?)\s*<([^<>]*)>$/.exec(text);
  const address = (match ? match[2] : text)?.trim() ?? '';
  const display = headerText(match?.[1] ?? '')
    .trim()
    .replace(/^"(.*)"$/, '$1');
  if (!ADDR_SPEC.test(address) || /[<>]/.test(display)) {
    throw new RangeError(`${name}: not a single e-mail address`);
  }
  if (display === '') return `${name}: ${address}`;
  if (/^[\x20-\x7e]*$/.test(display) && !display.includes('=?')) {
    return `${name}: "${display.replace(/[\\"]/g, '\\$&')}" <${address}>`;
  }
  const prefix = `${name}: `;
  return `${prefix}${encodedWords(display, prefix.length).join(`${CRLF} `)}${CRLF} <${address}>`;
}

/** `Mon, 31 May 2027 07:00:00 +0000` (RFC 5322 §3.3). */
export function rfc5322Date(instant: string): string {
  const ms = Temporal.Instant.from(instant).epochMilliseconds;
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/** FNV-1a, enough to make boundaries differ between messages; safety comes from `=_`. */
function shortHash(value: string): string {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(value)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function contentType(attachment: Attachment): string {
  const given = headerText(attachment.contentType).trim();
  const type = /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(given) ? given : 'application/octet-stream';
  const media = (type.split(';')[0] ?? '').trim().toLowerCase();
  if (media === 'text/calendar' && !type.includes(';')) return 'text/calendar; charset=UTF-8; method=PUBLISH';
  if (media.startsWith('text/') && !/charset=/i.test(type)) return `${type}; charset=UTF-8`;
  return type;
}

/** `filename="…"`, plus an RFC 2231 `filename*` when the name is not plain ASCII. */
function dispositionFilename(filename: string): string {
  const clean =
    filename
      .replace(/\p{Cc}/gu, '')
      .replace(/[\\/"]/g, '_')
      .trim() || 'attachment';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  if (ascii === clean) return `filename="${clean}"`;
  const pct = [...encoder.encode(clean)]
    .map((b) =>
      /[A-Za-z0-9.\-_~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `filename="${ascii}";${CRLF} filename*=UTF-8''${pct}`;
}

function part(headers: string[], body: Uint8Array): string {
  return [...headers, 'Content-Transfer-Encoding: base64', '', base64Body(body)].join(CRLF);
}

/**
 * The raw message: `multipart/mixed` holding a `multipart/alternative` (text, then HTML) and
 * each attachment. Returned as bytes for `SendRawEmail`'s `RawMessage.Data`.
 */
export function buildRawMessage(mail: OutgoingMail & { messageDate: string }): Uint8Array {
  const seed = shortHash(`${mail.to}\n${mail.subject}\n${mail.messageDate}`);
  const mixed = `=_mixed_${seed}`;
  const alternative = `=_alt_${seed}`;
  const attachments = mail.attachments ?? [];

  const headers = [
    encodeAddressHeader('From', mail.from),
    encodeAddressHeader('To', mail.to),
    encodeHeader('Subject', mail.subject),
    `Date: ${rfc5322Date(mail.messageDate)}`,
    'MIME-Version: 1.0',
    // Asks out-of-office responders not to answer an automated reminder (RFC 3834).
    'Auto-Submitted: auto-generated',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
  ];
  const alternativePart = [
    `Content-Type: multipart/alternative; boundary="${alternative}"`,
    '',
    `--${alternative}`,
    part(['Content-Type: text/plain; charset=UTF-8'], encoder.encode(mail.text)),
    `--${alternative}`,
    part(['Content-Type: text/html; charset=UTF-8'], encoder.encode(mail.html)),
    `--${alternative}--`,
  ].join(CRLF);
  const attachmentParts = attachments.map((a) =>
    part(
      [
        `Content-Type: ${contentType(a)}`,
        `Content-Disposition: attachment; ${dispositionFilename(a.filename)}`,
      ],
      typeof a.content === 'string' ? encoder.encode(a.content) : a.content,
    ),
  );
  const body = [alternativePart, ...attachmentParts].map((p) => `--${mixed}${CRLF}${p}`).join(CRLF);
  return encoder.encode([...headers, '', body, `--${mixed}--`, ''].join(CRLF));
}
