import { UserError } from './errors.js';

/** A user pattern: `/regex/flags` is a regular expression, anything else a plain substring. */
export type TextMatcher = (text: string) => boolean;

export function compilePattern(pattern: string, name: string): TextMatcher {
  const regex = pattern.match(/^\/(.+)\/([a-z]*)$/);
  if (regex) {
    let compiled: RegExp;
    try {
      compiled = new RegExp(regex[1], regex[2]);
    } catch (error) {
      throw new UserError(`${name} "${pattern}" is not a valid regular expression: ${(error as Error).message}`);
    }
    return text => {
      compiled.lastIndex = 0;
      return compiled.test(text);
    };
  }
  return text => text.includes(pattern);
}
