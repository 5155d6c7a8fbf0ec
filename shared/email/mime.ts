import { createHash } from 'node:crypto';
import { instantMs } from '#shared/domain/calendar.ts';
import type { Attachment, OutgoingMail } from '#shared/ports/mail.ts';

/**
 * RFC 5322 / 2045–2047 messages for SES `SendRawEmail`, which we need for the `.ics`
 * attachment. The output is pure ASCII with CRLF line ends: non-ASCII header text travels as
 * encoded words and every body part as base64. Message tags go in the API call, not here.
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
/** Bidi embeddings, overrides, isolates and marks: they can make a name display as another. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * A display name as we write it: well-formed Unicode, no bidi controls, every control character
 * (CR and LF included) and line or paragraph separator turned into a space, runs of spaces made
 * one, trimmed. What a reader decodes from the header is exactly this.
 */
export function cleanDisplayName(name: string): string {
  return name
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(BIDI_CONTROLS, '')
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** `name <addr>` or a bare address, split; control characters dropped, exactly one address or a RangeError. */
function parseMailbox(header: string, value: string): { display: string; address: string } {
  const text = value.replace(/\p{Cc}/gu, '').trim();
  const match = /^(.*?)\s*<([^<>]*)>$/.exec(text);
  const address = (match ? match[2] : text)?.trim() ?? '';
  const display = (match?.[1] ?? '').trim().replace(/^"(.*)"$/, '$1');
  if (!ADDR_SPEC.test(address) || /[<>]/.test(display)) {
    throw new RangeError(`${header}: not a single e-mail address`);
  }
  return { display, address };
}

/** The bare address of `name <addr>` or of a bare address (for SES `Destinations`). */
export function mailboxAddress(value: string): string {
  return parseMailbox('address', value).address;
}

/**
 * An address header (From, To, Reply-To): `"name" <addr>` or a bare address. `displayName`, when
 * given, replaces a name in `value`. The name is cleaned (`cleanDisplayName`); printable ASCII
 * that fits the line goes in a quoted string with `"` and `\` escaped, anything else as RFC
 * 2047 words (never inside quotes, §5). Anything but exactly one address in `value` (a comma, a
 * second `<…>`) is refused, so a value can neither add a header nor add a recipient.
 */
export function encodeAddressHeader(name: string, value: string, displayName?: string): string {
  const mailbox = parseMailbox(name, value);
  const display = cleanDisplayName(displayName ?? mailbox.display);
  const address = mailbox.address;
  if (display === '') return `${name}: ${address}`;
  if (/^[\x20-\x7e]*$/.test(display) && !display.includes('=?')) {
    const quoted = `${name}: "${display.replace(/[\\"]/g, '\\$&')}" <${address}>`;
    if (quoted.length <= SOFT_LIMIT) return quoted;
  }
  const prefix = `${name}: `;
  return `${prefix}${encodedWords(display, prefix.length).join(`${CRLF} `)}${CRLF} <${address}>`;
}

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_ATOM_TEXT = `${ATEXT}(?:\\.${ATEXT})*`;
const DOT_ATOM = new RegExp(`^${DOT_ATOM_TEXT}$`);
const MSG_ID = new RegExp(`^${DOT_ATOM_TEXT}@${DOT_ATOM_TEXT}$`);
/** Room for `Message-ID: <…>` and `References: <…>` within RFC 5322's 998-character line. */
const MAX_MESSAGE_ID = 900;

/** A Message-ID of ours, checked: dot-atom-text "@" dot-atom-text (RFC 5322 §3.6.4), no brackets. */
function checkedMessageId(id: string): string {
  if (id.length > MAX_MESSAGE_ID || !MSG_ID.test(id)) {
    throw new RangeError(
      'Message-ID must be dot-atom-text@dot-atom-text without angle brackets (RFC 5322 §3.6.4)',
    );
  }
  return id;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, unpadded: only atext characters. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Our Message-ID for one notification to one recipient: `untoc.<160 bits of SHA-256 of the pair,
 * base32>@<domain>`. The same pair always gives the same id, so a retried send carries the id
 * of the first; any notification id or recipient key (`#`, `:`, UUIDs, Unicode) gives a valid
 * one. `domain` must be dot-atom-text (a host name such as the sender's domain).
 */
export function messageIdFor(notificationId: string, recipientKey: string, domain: string): string {
  if (!DOT_ATOM.test(domain)) throw new RangeError('Message-ID domain must be dot-atom-text (a host name)');
  const digest = createHash('sha256')
    .update(JSON.stringify([notificationId, recipientKey]))
    .digest();
  return checkedMessageId(`untoc.${base32(digest.subarray(0, 20))}@${domain}`);
}

/** `Mon, 31 May 2027 07:00:00 +0000` (RFC 5322 §3.3). */
export function rfc5322Date(instant: string): string {
  return new Date(instantMs(instant)).toUTCString().replace(/GMT$/, '+0000');
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

  const messageId = mail.messageId === undefined ? undefined : checkedMessageId(mail.messageId);
  const headers = [
    encodeAddressHeader('From', mail.from, mail.fromName),
    encodeAddressHeader('To', mail.to, mail.toName),
    ...(mail.replyTo === undefined ? [] : [encodeAddressHeader('Reply-To', mail.replyTo)]),
    encodeHeader('Subject', mail.subject),
    // SES replaces Date with the time it accepted the message, like Message-ID (same page as below).
    `Date: ${rfc5322Date(mail.messageDate)}`,
    ...(messageId === undefined
      ? []
      : [
          // Amazon SES does not keep this header: "If you provide a Message-ID header, Amazon SES
          // overrides the header with its own value"
          // (https://docs.aws.amazon.com/ses/latest/dg/header-fields.html). We write it anyway
          // (the raw message the local mode records keeps it, as would another transport) and
          // repeat it in References, which SES passes through unchanged (reports of its rewrite
          // leaving References alone: https://github.com/odoo/odoo/pull/280971,
          // https://github.com/resend/resend-node/issues/133), so our id still reaches the
          // mailbox and a reply's References, and a duplicate send of the same notification
          // threads with the first instead of standing alone.
          `Message-ID: <${messageId}>`,
          `References: <${messageId}>`,
        ]),
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
