// What no one types into a form field or a search box. One home for the rule, used by forms (web/forms.ts)
// and query strings (web/query-input.ts) alike.

// NUL and the other control characters (tab, line feed and carriage return excepted), and DEL: no one
// types them, and PostgreSQL refuses NUL in text, which would otherwise fail the whole request.
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this one.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

// Line breaks (CR, LF, NEL and the Unicode line and paragraph separators): only a multi-line field holds
// them. Elsewhere they would write lines of their own into the emails and letters that show the value.
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;

/** The translation key of what is wrong with a value typed into a field, or undefined when nothing is. */
export function untypable(value: string, multiline = false): string | undefined {
  if (CONTROL.test(value)) return 'validation:text.controlCharacters';
  if (!multiline && LINE_BREAK.test(value)) return 'validation:text.lineBreak';
  return undefined;
}
