/**
 * Untrusted-document fixtures built for real in the test: OOXML zip bombs (hundreds of MB of XML that deflate to a
 * few hundred KB, streamed through yazl so the test never holds the XML in memory) and multipart bodies.
 *
 *   const bomb = await ooxmlBomb("docx", 200 * 1024 * 1024);   // ≈ 200 KB on disk
 */
import { Readable } from "node:stream";
import yazl from "yazl";

const CONTENT_TYPES = (main: string, type: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/${main}" ContentType="${type}"/></Types>`;
const RELS = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${main}"/></Relationships>`;

function* repeated(head: string, unit: string, tail: string, bytes: number): Generator<Buffer> {
  yield Buffer.from(head);
  const chunk = Buffer.from(unit.repeat(Math.max(1, Math.floor((1024 * 1024) / unit.length))));
  let left = bytes;
  while (left > 0) {
    const part = left >= chunk.length ? chunk : chunk.subarray(0, left - (left % unit.length) || unit.length);
    yield part;
    left -= part.length;
  }
  yield Buffer.from(tail);
}

/** A structurally valid .docx/.xlsx whose main part is `xmlBytes` of repetitive XML. */
export async function ooxmlBomb(kind: "docx" | "xlsx", xmlBytes: number): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  if (kind === "docx") {
    zip.addBuffer(
      Buffer.from(
        CONTENT_TYPES(
          "word/document.xml",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
      ),
      "[Content_Types].xml",
    );
    zip.addBuffer(Buffer.from(RELS("word/document.xml")), "_rels/.rels");
    const head = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`;
    const unit = "<w:p><w:r><w:t>公开公开公开公开公开公开公开公开</w:t></w:r></w:p>";
    zip.addReadStream(
      Readable.from(repeated(head, unit, "</w:body></w:document>", xmlBytes)),
      "word/document.xml",
    );
  } else {
    zip.addBuffer(
      Buffer.from(
        CONTENT_TYPES(
          "xl/workbook.xml",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        ),
      ),
      "[Content_Types].xml",
    );
    zip.addBuffer(Buffer.from(RELS("xl/workbook.xml")), "_rels/.rels");
    zip.addBuffer(
      Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="目录" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      "xl/workbook.xml",
    );
    zip.addBuffer(
      Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
      "xl/_rels/workbook.xml.rels",
    );
    const head = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
    const unit = `<row><c t="inlineStr"><is><t>公开</t></is></c></row>`;
    zip.addReadStream(
      Readable.from(repeated(head, unit, "</sheetData></worksheet>", xmlBytes)),
      "xl/worksheets/sheet1.xml",
    );
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A multipart/form-data body: the given fields first (in order), then one file part named "file". */
export function multipart(
  file: { name: string; data: Buffer; type?: string },
  fields: Record<string, string> = {},
): { body: Buffer; contentType: string } {
  const boundary = `----gk${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? "application/octet-stream"}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A tiny one-sheet .xlsx (sheet "目录") with the given worksheet XML after its sheetData (merges, data validations …)
 * and defined names in its workbook: the range bombs of src/documents/xlsx-load.ts are a few hundred bytes.
 */
export async function tinyXlsx(o: {
  cells?: string;
  afterSheetData?: string;
  definedNames?: string;
}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(
    Buffer.from(
      CONTENT_TYPES(
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
      ),
    ),
    "[Content_Types].xml",
  );
  zip.addBuffer(Buffer.from(RELS("xl/workbook.xml")), "_rels/.rels");
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="目录" sheetId="1" r:id="rId1"/></sheets>${o.definedNames ? `<definedNames>${o.definedNames}</definedNames>` : ""}</workbook>`,
    ),
    "xl/workbook.xml",
  );
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    "xl/_rels/workbook.xml.rels",
  );
  const cells =
    o.cells ??
    `<row r="1"><c r="A1" t="inlineStr"><is><t>索引号</t></is></c><c r="B1" t="inlineStr"><is><t>标题</t></is></c></row>`;
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cells}</sheetData>${o.afterSheetData ?? ""}</worksheet>`,
    ),
    "xl/worksheets/sheet1.xml",
  );
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}
