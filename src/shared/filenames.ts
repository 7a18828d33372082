/**
 * @module Cleaning names that come from outside (uploaded file names): control characters (C0, DEL, C1) and the
 * Unicode bidirectional controls (U+202A–202E embeddings/overrides, U+2066–2069 isolates, U+200E/200F marks,
 * U+061C) are removed, so "invoice\u202Efdp.exe" cannot display as "invoiceexe.pdf".
 *
 *   stripUnsafeNameChars("报告\u202Etxt.exe")  // "报告txt.exe"
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function stripUnsafeNameChars(name: string): string {
  return name.replace(UNSAFE, "");
}
