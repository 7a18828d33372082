/**
 * @module Text read from imported files made storable in PostgreSQL (text and jsonb columns). Pure.
 */

/**
 * Text PostgreSQL can store: NUL characters (which old systems' exports sometimes leave in a cell, and which text and
 * jsonb columns refuse) removed, lone UTF-16 surrogates (JSON's "\ud800" escapes) replaced with U+FFFD.
 */
export function storableText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what we remove
  return text.replace(/\u0000/g, "").toWellFormed();
}

/** `JSON.parse` whose strings (values and keys) are `storableText`. */
export function parseStorableJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === "string") return storableText(value);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.some(([k]) => storableText(k) !== k))
        return Object.fromEntries(entries.map(([k, v]) => [storableText(k), v]));
    }
    return value;
  });
}
