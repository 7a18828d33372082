/**
 * @module Numbers typed by staff: what a Chinese input method types in full-width mode, read as ASCII before a
 * field's own pattern checks it (annual report cells, a record's 决定件数 and 收费金额).
 */

/**
 * A number typed by staff, as ASCII: NFKC turns what a Chinese input method types in full-width mode into ASCII
 * (０-９ → 0-9, ，→ “,”, ．→ “.”, －→ “-”, the ideographic space U+3000 → a space); white space around it is dropped,
 * and thousands separators are removed only where they group digits by three before any decimal point (“1,234”,
 * “1，234.5”). Anything else is returned as typed (after NFKC), for the caller's pattern to refuse: “1,2” or
 * “12 34” are not read as 12 or 1234, since what was meant is unclear.
 */
export function normaliseNumberInput(input: string): string {
  const text = input.normalize("NFKC").trim();
  return /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replaceAll(",", "") : text;
}
