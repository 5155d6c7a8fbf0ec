/**
 * One line of text, for subjects and table cells: control characters (CR, LF, tab, NEL) and the
 * Unicode line and paragraph separators become one space; bidi overrides go, so a name or a reason
 * someone typed cannot break the layout or reorder the line. No-break spaces stay.
 */
export function oneLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}
