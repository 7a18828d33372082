/**
 * @module Loading an untrusted .xlsx with exceljs (only inside a parser process, src/documents/document.worker.ts).
 * exceljs makes one object per cell of three kinds of range while it loads a workbook: merged cells (a Cell each),
 * data validations (a map entry per address) and defined names (a matrix entry per cell). A file of 1.5 KB — far
 * below every zip limit — that merges, validates or names A1:XFD1048576 (17 billion cells) held a parser process
 * for 10–25 s until its heap or wall-time limit killed it, so a few such uploads kept every agency's uploads and
 * imports waiting. We read neither data validations nor defined names: they are left out of the load. Merged cells
 * tell a two-row header or a merged title, so the table readers keep them up to MAX_MERGED_CELLS
 * (document.rules.ts), counted from the parsed sheets before exceljs applies them; text extraction leaves them out.
 *
 *   const wb = await loadXlsx(bytes, { merges: true });   // throws DocumentViolation document_too_many_cells
 */
import ExcelJS from "exceljs";
import { checkMergedCells } from "./document.rules.ts";
import { DocumentViolation } from "./zip-inspect.ts";

/** What exceljs has parsed when it reconciles a workbook (its internal model; exceljs 4.4). */
interface ParsedModel {
  worksheets?: ({ mergeCells?: unknown } | undefined)[];
  definedNames?: unknown[];
}

interface XlsxReader {
  reconcile(model: ParsedModel, options: unknown): void;
}

export async function loadXlsx(bytes: Uint8Array, o: { merges: boolean }): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  const reader = wb.xlsx as unknown as XlsxReader;
  const reconcile = reader.reconcile.bind(reader);
  // Between parsing the parts and building the workbook from them: drop the defined names, count the merges.
  reader.reconcile = (model, options) => {
    model.definedNames = [];
    if (o.merges) {
      const refs = (model.worksheets ?? []).flatMap((ws) =>
        Array.isArray(ws?.mergeCells)
          ? (ws.mergeCells as unknown[]).filter((r) => typeof r === "string")
          : [],
      );
      const violation = checkMergedCells(refs);
      if (violation) throw new DocumentViolation(violation);
    }
    reconcile(model, options);
  };
  await wb.xlsx.load(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer,
    {
      ignoreNodes: o.merges ? ["dataValidations"] : ["dataValidations", "mergeCells"],
    },
  );
  return wb;
}
