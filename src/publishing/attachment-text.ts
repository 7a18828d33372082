/**
 * @module Text of an attachment for the personal-data scan (text PDFs via unpdf, .docx via mammoth, .xlsx via
 * exceljs; images, .doc and .xls have no extractable text here). Runs ONLY inside the document worker
 * (src/documents/): attachment.service.ts calls it through `deps.documents.parse`, never directly.
 */
import mammoth from "mammoth";
import { extractText as pdfText } from "unpdf";
import { loadXlsx } from "../documents/xlsx-load.ts";
import type { AttachmentType } from "./attachment.rules.ts";

/** Upper bound of extracted text kept per file (the scan and search do not need more). */
const MAX_TEXT = 500_000;

/** Extracted text of a document (empty when the format has no text we can read, or it fails to parse). */
export async function extractAttachmentText(type: AttachmentType, data: Uint8Array): Promise<string> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  try {
    if (type === "pdf") {
      const { text } = await pdfText(new Uint8Array(buffer), { mergePages: true });
      return text.slice(0, MAX_TEXT);
    }
    if (type === "docx") {
      const { value } = await mammoth.extractRawText({ buffer });
      return value.slice(0, MAX_TEXT);
    }
    if (type === "xlsx") {
      // Merged cells, data validations and defined names are not read: they add no text, and exceljs would make
      // an object per cell of their ranges (src/documents/xlsx-load.ts).
      const wb = await loadXlsx(buffer, { merges: false });
      const lines: string[] = [];
      wb.eachSheet((sheet) => {
        sheet.eachRow((row) => {
          const cells: string[] = [];
          row.eachCell((cell) => {
            cells.push(cell.text ?? "");
          });
          lines.push(cells.join("\t"));
        });
      });
      return lines.join("\n").slice(0, MAX_TEXT);
    }
  } catch {
    return "";
  }
  return "";
}
