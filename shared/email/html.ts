/**
 * The one place mail HTML is assembled. Every piece of text goes through `escapeHtml`, so
 * templates hold no markup and a name such as `<b>&"` can never become markup.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * A paragraph that leads to a link: the text body puts the address on a line of its own, untouched,
 * so mail clients make it clickable; the HTML body makes `label` an anchor to it.
 */
export interface MailLink {
  lead: string;
  /** What the anchor reads in HTML. */
  label: string;
  /** An absolute `https:` or `http:` URL; anything else is refused when the mail is rendered. */
  href: string;
}

/** A paragraph of text, or one that leads to a link. */
export type MailParagraph = string | MailLink;

/** Anything that would change the address on its way to the reader, or reorder the line it is on. */
const NOT_IN_A_LINK = /[\s\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/**
 * The link's address, if mail may carry it: `http(s)://` only, so no `javascript:` or `data:` link
 * is ever rendered, and nothing a client would wrap or drop. The message leaves the address out:
 * it may hold a personal token.
 */
function linkHref(href: string): string {
  if (!/^https?:\/\//i.test(href) || NOT_IN_A_LINK.test(href) || !URL.canParse(href)) {
    throw new RangeError('a mail link must be an absolute http(s) URL without spaces or control characters');
  }
  return href;
}

/** A mail's content: paragraphs of text, a label/value table, and closing lines. */
export interface MailDocument {
  lang: string;
  dir: 'ltr' | 'rtl';
  title: string;
  /** Paragraphs before the table. */
  intro: string[];
  rows: [label: string, value: string][];
  /** Between a label and its value in text: `: `, French `\u00a0: `, Chinese `：`. */
  colon: string;
  /** A table under the details (escalations list reminders here). */
  table?: { caption: string; head: string[]; rows: string[][]; empty: string };
  /** Paragraphs after the table, a link among them if need be. */
  outro: MailParagraph[];
  /** Lines of the sign-off, one block. */
  signOff: string[];
  footer: string;
}

const CELL = 'padding:4px 12px 4px 0;vertical-align:top';

/** A complete small HTML document, inline styles only (mail clients drop `<style>` blocks). */
export function renderHtml(doc: MailDocument): string {
  const align = doc.dir === 'rtl' ? 'right' : 'left';
  const cell = `${CELL};text-align:${align}`;
  const p = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const paragraph = (block: MailParagraph) =>
    typeof block === 'string'
      ? p(block)
      : `<p style="margin:0 0 16px">${escapeHtml(block.lead)}<br><a href="${escapeHtml(linkHref(block.href))}" style="color:#0b57d0;font-weight:bold">${escapeHtml(block.label)}</a></p>`;
  const rows = doc.rows
    .map(
      ([label, value]) =>
        `<tr><th scope="row" style="${cell}">${escapeHtml(label)}</th><td style="${cell}">${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  let table = '';
  if (doc.table) {
    const { caption, head, rows: body, empty } = doc.table;
    const th = head
      .map((h) => `<th scope="col" style="${cell};border-bottom:1px solid #ccc">${escapeHtml(h)}</th>`)
      .join('');
    const trs =
      body.length === 0
        ? `<tr><td colspan="${head.length}" style="${cell}">${escapeHtml(empty)}</td></tr>`
        : body
            .map((r) => `<tr>${r.map((c) => `<td style="${cell}">${escapeHtml(c)}</td>`).join('')}</tr>`)
            .join('');
    table = `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px"><caption style="text-align:${align};font-weight:bold;padding:0 0 4px">${escapeHtml(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
  }
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(doc.lang)}" dir="${doc.dir}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f5f5f5">',
    `<div dir="${doc.dir}" style="max-width:640px;margin:0 auto;padding:24px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;text-align:${align}">`,
    ...doc.intro.map(p),
    `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${rows}</table>`,
    table,
    ...doc.outro.map(paragraph),
    `<p style="margin:0 0 16px">${doc.signOff.map(escapeHtml).join('<br>')}</p>`,
    `<p style="margin:24px 0 0;font-size:12px;color:#666666">${escapeHtml(doc.footer)}</p>`,
    '</div>',
    '</body>',
    '</html>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** The plain-text twin of `renderHtml`. */
export function renderText(doc: MailDocument): string {
  const details = doc.rows.map(([label, value]) => `${label}${doc.colon}${value}`).join('\n');
  const blocks = [...doc.intro, details];
  if (doc.table) {
    const { caption, head, rows, empty } = doc.table;
    const line = (r: string[]) => `- ${r.map((c, i) => `${head[i] ?? ''}${doc.colon}${c}`).join('; ')}`;
    blocks.push(
      [`${caption}${doc.colon.trimEnd()}`, ...(rows.length === 0 ? [empty] : rows.map(line))].join('\n'),
    );
  }
  const paragraph = (block: MailParagraph) =>
    typeof block === 'string' ? block : `${block.lead}\n${linkHref(block.href)}`;
  blocks.push(...doc.outro.map(paragraph), doc.signOff.join('\n'), `--\n${doc.footer}`);
  return `${blocks.join('\n\n')}\n`;
}
