import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { fixedClock } from "../shared/clock.ts";
import { PLATFORM_IMAGE_SRC } from "./record.paths.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gk-images-"));
const { app, db } = await createTestApp({
  clock: fixedClock("2026-03-16T10:00:00+08:00"),
  config: { dataDir },
});
const agency = await createAgency(db, { name: "测试县人力资源和社会保障局" });
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const stranger = await createUser(db, { roles: ["editor"], agencyId: (await createAgency(db, {})).id });
/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

function multipart(fileName: string, content: Buffer, type: string) {
  const boundary = `----gk${Math.random().toString(16).slice(2)}`;
  return {
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe("body images: upload through the attachment pipeline, platform URLs only", async () => {
  const s = await signIn(app, editor);
  const base = `/admin/agencies/${agency.slug}/records`;
  const created = await app.inject({
    method: "POST",
    url: base,
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      _csrf: s.csrfToken,
      title: "关于社会保险补贴的通知",
      issuingAgency: agency.name,
      formedDate: "2026-03-10",
      bodyHtml: "<p>正文</p>",
    }).toString(),
  });
  assert.equal(created.statusCode, 303, created.body.slice(0, 1000));
  const id = /records\/([0-9a-f-]{36})/.exec(created.headers.location ?? "")?.[1] ?? "";
  const upload = (user: typeof s, fileName: string, content: Buffer, type: string) => {
    const m = multipart(fileName, content, type);
    return app.inject({
      method: "POST",
      url: `${base}/${id}/images`,
      headers: { ...user.headers, accept: "application/json", "content-type": m.contentType },
      payload: m.body,
    });
  };

  let url = "";
  it("stores a pasted PNG as an attachment and answers its platform URL", async () => {
    const res = await upload(s, "正文图片-1.png", PNG, "image/png");
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { url: string; attachmentId: string; fileName: string };
    url = body.url;
    assert.match(url, PLATFORM_IMAGE_SRC);
    assert.equal(url, `/agencies/${agency.slug}/records/${id}/files/${body.attachmentId}`);
    const revision = await db
      .selectFrom("record_revisions")
      .select("content")
      .where("record_id", "=", id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(revision.content.attachmentIds, [body.attachmentId]);
  });

  it("refuses other types, content not matching the name, another agency's editor, no CSRF token", async () => {
    const pdf = await upload(s, "a.pdf", Buffer.from("%PDF-1.4\n%%EOF\n"), "application/pdf");
    assert.equal(pdf.statusCode, 415);
    assert.match(pdf.body, /只能插入 PNG、JPG 或 GIF 图片/);
    const fake = await upload(s, "a.png", Buffer.from("MZ not an image"), "image/png");
    assert.equal(fake.statusCode, 415);
    assert.match(fake.body, /文件内容与扩展名/);
    const other = await upload(await signIn(app, stranger), "b.png", PNG, "image/png");
    assert.ok([403, 404].includes(other.statusCode), String(other.statusCode));
    const m = multipart("c.png", PNG, "image/png");
    const noToken = await app.inject({
      method: "POST",
      url: `${base}/${id}/images`,
      headers: { cookie: s.cookie, accept: "application/json", "content-type": m.contentType },
      payload: m.body,
    });
    assert.equal(noToken.statusCode, 403);
  });

  it("the draft's image is shown to staff (not cached) and to nobody else until published", async () => {
    const staff = await app.inject({ url, headers: { cookie: s.cookie } });
    assert.equal(staff.statusCode, 200);
    assert.equal(staff.headers["content-type"], "image/png");
    assert.equal(staff.headers["cache-control"], "private, no-store");
    assert.deepEqual(staff.rawPayload, PNG);
    assert.equal((await app.inject({ url })).statusCode, 404);
    const other = await signIn(app, stranger);
    assert.equal((await app.inject({ url, headers: { cookie: other.cookie } })).statusCode, 404);
  });

  it("a saved body keeps the platform image and drops data:, file: and other hosts' images", async () => {
    const saved = await app.inject({
      method: "POST",
      url: `${base}/${id}`,
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: s.csrfToken,
        title: "关于社会保险补贴的通知",
        issuingAgency: agency.name,
        formedDate: "2026-03-10",
        bodyHtml: `<p>图一：<img src="${url}" alt="流程图"></p><p>图二：<img src="data:image/png;base64,${PNG.toString("base64")}"><img src="file:///C:/a/image001.png"><img src="https://example.com/x.png"></p>`,
      }).toString(),
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 1000));
    const revision = await db
      .selectFrom("record_revisions")
      .select("content")
      .where("record_id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(revision.content.bodyHtml, `<p>图一：<img src="${url}" alt="流程图" /></p><p>图二：</p>`);
  });
});
