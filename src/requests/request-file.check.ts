/**
 * @module Runs inside the document parser process (src/documents/document.worker.ts) after its container checks
 * (zip central directory and inflated sizes, required Office parts, PDF header/trailer, HTML polyglots): an
 * application file is stored as it is, so nothing more is parsed. Kept apart so the worker loads nothing else.
 */
export function containerChecked(): true {
  return true;
}
