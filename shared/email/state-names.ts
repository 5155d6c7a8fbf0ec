import { stateName } from '#shared/domain/countries.ts';
import type { Language } from '#shared/domain/review.ts';

/**
 * How one mail names States (DESIGN §2): by name in the reader's language, with the code in
 * brackets the first time ("Greece (GRC)"), by name alone after that. A mail is built in reading
 * order, so the first call for a code is its first mention. A code with no known name is shown
 * once as it is, never as "XYZ (XYZ)".
 */
export type StateMentions = (code: string) => string;

export function stateMentions(language: Language): StateMentions {
  const mentioned = new Set<string>();
  return (code) => {
    const name = stateName(code, language);
    const first = !mentioned.has(code);
    mentioned.add(code);
    return first && name !== code ? `${name} (${code})` : name;
  };
}
