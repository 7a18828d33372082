/**
 * @module Test corpus of records imports (src/publishing/record-import-fixtures/, described in its README.md): the
 * files as other agencies' systems write them, and an .xlsx written part by part here (as Apache POI, WPS or a
 * CMS write them, not as exceljs does): shared and inline strings, rich text, formulas with cached values, a merged
 * title row, date-formatted serials (built-in and custom formats), a date left as a General number, a sheet of notes
 * without a header and a second sheet of records.
 */
import fs from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";

export const IMPORT_FIXTURES = path.join(import.meta.dirname, "record-import-fixtures");

export function importFixture(name: string): Buffer {
  return fs.readFileSync(path.join(IMPORT_FIXTURES, name));
}

/** A zip of the files, stored (uncompressed): enough for any xlsx reader. */
export function storedZip(files: Readonly<Record<string, string>>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, "utf8");
    const fileName = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(fileName.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    central.push(dir, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
const sheetXml = (rows: string, extra = "") =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData>${extra}</worksheet>`;

/** The body of the 2020 sheet's record: longer than a CSV line limit would allow, within Excel's 32,767 a cell. */
export const LONG_BODY = `${"为进一步做好稳就业工作，现将有关事项通知如下。".repeat(900)}（完）`;

/**
 * A CMS-style workbook: sheet “2019年” (title row merged over A1:G1, the header on row 3, two records, a row of
 * only a 序号, a merged 合计 row), sheet “说明” (notes, no header), sheet “2020年” (a record whose date is a DATE()
 * formula and whose body is ~20,000 characters). No 目录事项 column: imported with a default item.
 */
export function cmsWorkbook(): Buffer {
  const shared = [
    "政府信息公开目录（2019年）",
    "序号",
    "索引号",
    "标题",
    "发布日期",
    "成文日期",
    "有效性",
    "正文",
    "XL-2019-001",
    "有效",
    "已废止",
  ];
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length + 1}" uniqueCount="${shared.length + 1}">${shared
    .map((s) => `<si><t>${esc(s)}</t></si>`)
    .join(
      "",
    )}<si><r><rPr><b/></rPr><t>关于做好2019年度</t></r><r><t xml:space="preserve">失业保险稳岗返还工作的通知</t></r></si></sst>`;
  const s = (ref: string, i: number, style = "") => `<c r="${ref}" t="s"${style}><v>${i}</v></c>`;
  const sheet1 = sheetXml(
    `<row r="1">${s("A1", 0)}</row>` +
      `<row r="3">${s("A3", 1)}${s("B3", 2)}${s("C3", 3)}${s("D3", 4)}${s("E3", 5)}${s("F3", 6)}${s("G3", 7)}</row>` +
      `<row r="4"><c r="A4"><v>1</v></c>${s("B4", 8)}${s("C4", 11)}<c r="D4" s="1"><v>43525</v></c>${inline("E4", "2019年2月28日")}${s("F4", 9)}${inline("G4", "各县（区）人社局：\n\n现将稳岗返还有关事项通知如下。")}</row>` +
      `<row r="5"><c r="A5"><v>2</v></c>${inline("B5", "XL-2019-002")}<c r="C5" t="str"><f>"关于印发"&amp;"《就业见习管理办法》的通知"</f><v>关于印发《就业见习管理办法》的通知</v></c><c r="D5"><v>43560</v></c><c r="E5" s="2"><v>43550</v></c>${s("F5", 10)}${inline("G5", "<p>第一条　为规范就业见习管理……</p>")}</row>` +
      `<row r="6"><c r="A6"><v>3</v></c></row>` +
      `<row r="7">${inline("A7", "合计：共2条")}</row>`,
    `<mergeCells count="2"><mergeCell ref="A1:G1"/><mergeCell ref="A7:G7"/></mergeCells>`,
  );
  const sheet2 = sheetXml(`<row r="1">${inline("A1", "填表说明：日期请按“2019-03-05”格式填写。")}</row>`);
  const sheet3 = sheetXml(
    `<row r="1">${inline("A1", "索引号")}${inline("B1", "标题")}${inline("C1", "发布日期")}${inline("D1", "正文")}</row>` +
      `<row r="2">${inline("A2", "XL-2020-001")}${inline("B2", "关于进一步做好稳就业工作的通知")}<c r="C2" s="1"><f>DATE(2020,3,2)</f><v>43892</v></c>${inline("D2", LONG_BODY)}</row>`,
  );
  const ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const sheets = ["2019年", "说明", "2020年"];
  return storedZip({
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join(
        "",
      )}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${ns}"><sheets>${sheets
      .map((n, i) => `<sheet name="${n}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join("")}</sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="${ns}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join(
        "",
      )}<Relationship Id="rId8" Type="${ns}/styles" Target="styles.xml"/><Relationship Id="rId9" Type="${ns}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    "xl/styles.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    "xl/sharedStrings.xml": sst,
    "xl/worksheets/sheet1.xml": sheet1,
    "xl/worksheets/sheet2.xml": sheet2,
    "xl/worksheets/sheet3.xml": sheet3,
  });
}
