import assert from "node:assert/strict";
import { describe, it } from "node:test";
import JSZip from "jszip";
import { createAgency } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { applicationFormDocx, applicationFormRows } from "./application-form.docx.ts";
import { DELIVERY_METHODS, FORMS } from "./info-request.ts";

async function documentText(docx: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(docx);
  const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
  return xml.replace(/<[^>]+>/g, "");
}

describe("政府信息公开申请表 (.docx)", () => {
  it("has the agency's name and every field of the online form, with boxes for the choices", async () => {
    const text = await documentText(await applicationFormDocx("测试县人力资源和社会保障局"));
    assert.match(text, /测试县人力资源和社会保障局/);
    assert.match(text, /政府信息公开申请表/);
    for (const r of applicationFormRows()) assert.ok(text.includes(r.label), r.label);
    for (const v of [...Object.values(FORMS), ...Object.values(DELIVERY_METHODS)])
      assert.ok(text.includes(`☐${v}`), v);
    assert.match(text, /申请人签名或者盖章/);
    assert.match(text, /第二十九条/);
  });

  it("is downloadable from the agency's apply page, which links to it", async () => {
    const { app, db } = await createTestApp();
    const agency = await createAgency(db, { name: "测试市民政局" });
    const res = await app.inject({ url: `/agencies/${agency.slug}/apply/form.docx` });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /wordprocessingml/);
    assert.match(
      decodeURIComponent(String(res.headers["content-disposition"])),
      /测试市民政局政府信息公开申请表\.docx/,
    );
    assert.match(await documentText(res.rawPayload), /测试市民政局/);
    const page = await app.inject({ url: `/agencies/${agency.slug}/apply` });
    assert.ok(page.body.includes(`/agencies/${agency.slug}/apply/form.docx`));
    assert.equal((await app.inject({ url: "/agencies/no-such-agency/apply/form.docx" })).statusCode, 404);
  });
});
