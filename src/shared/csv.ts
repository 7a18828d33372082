/**
 * @module CSV formula injection (CWE-1236): a cell starting with = + - @ (or tab / carriage return) would run as a
 * formula when the file is opened in a spreadsheet; it is prefixed with ' so it shows as text. EVERY CSV export
 * (the public catalog export, the audit log) passes every cell through this one function.
 *
 *   neutralizeFormula("=HYPERLINK(\"http://x\")")  // "'=HYPERLINK(\"http://x\")"
 */
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
