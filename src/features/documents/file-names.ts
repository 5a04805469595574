import { DOCUMENT_TYPES, type DocumentType } from './file-types';

const MAX_NAME = 120;

/**
 * A file's name as shown and offered on download, from whatever the browser sent: the last part of any
 * path, no control or bidirectional-override characters, whitespace collapsed, at most 120 characters
 * (keeping its extension), and the extension of its real type added when its own says otherwise
 * ("plan.exe" that is a PNG becomes "plan.exe.png"). Never used to find the file.
 */
export function displayName(sent: string, type: DocumentType): string {
  const extension = DOCUMENT_TYPES[type];
  let name = sent
    .normalize('NFC')
    .split(/[/\\]/)
    .pop()!
    // C0 and C1 controls (NUL among them), and the characters that reorder text (a name shown backwards).
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const own = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const matches = own === extension || (type === 'image/jpeg' && own === 'jpeg');
  if (!name) name = 'document';
  const suffix = matches ? name.slice(name.lastIndexOf('.')) : `.${extension}`;
  const stem = matches ? name.slice(0, name.lastIndexOf('.')) : name;
  return `${[...stem]
    .slice(0, MAX_NAME - suffix.length)
    .join('')
    .trimEnd()}${suffix}`;
}
