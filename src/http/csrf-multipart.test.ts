/**
 * Issue #13: the CSRF token of a multipart upload never travels in the URL (URLs land in access logs, proxies and
 * Referer headers). The forms send it as their first field; the check runs when the handler reads the body, after
 * its ownership check (another agency's URL stays 404) and before any file byte reaches the handler.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { multipart } from "../../test/documents.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { createRecord } from "../publishing/record-draft.service.ts";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");
const CSV =
  "一级事项,二级事项,公开内容,公开时限,公开主体,公开渠道和载体,公开对象,责任单位\n" +
  "社会救助,最低生活保障,办事指南,制定或获取信息之日起10个工作日内,县民政局,政府网站,全社会,社会救助股\n";

describe("CSRF token of multipart uploads (issue #13)", async () => {
  const { app, db, deps } = await createTestApp();
  const agency = await createAgency(db);
  const other = await createAgency(db);
  const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
  const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
  const outsider = await createUser(db, { roles: ["editor", "agency_admin"], agencyId: other.id });
  const supervisor = await createUser(db, { roles: ["supervisor"], regionId: agency.regionId });
  const record = await createRecord(deps, staffActor(editor, null), agency.id, {
    title: "附件测试",
    formedDate: "2026-03-02",
  });
  const attachments = async () =>
    (await db.selectFrom("record_attachments").select("id").where("record_id", "=", record.id).execute())
      .length;
  const attachUrl = `/admin/agencies/${agency.slug}/records/${record.id}/attachments`;
  const upload = (url: string, cookie: string, body: { body: Buffer; contentType: string }) =>
    app.inject({
      method: "POST",
      url,
      headers: { cookie, "content-type": body.contentType },
      payload: body.body,
    });

  it("no upload form puts the token in its URL; the token field comes before the file field", async () => {
    const pages = [
      [editor, `/admin/agencies/${agency.slug}/records/${record.id}`],
      [admin, `/admin/agencies/${agency.slug}/catalog/import`],
      [supervisor, "/admin/supervision/reports"],
    ] as const;
    for (const [user, url] of pages) {
      const res = await app.inject({ url, headers: (await signIn(app, user)).headers });
      assert.equal(res.statusCode, 200, `${url}: ${res.statusCode}`);
      const form = /<form[^>]*enctype="multipart\/form-data"[^>]*>[\s\S]*?<\/form>/.exec(res.body)?.[0];
      assert.ok(form, `${url}: an upload form`);
      assert.doesNotMatch(form, /action="[^"]*_csrf/, `${url}: token in the action URL`);
      const token = form.indexOf('name="_csrf"');
      assert.ok(token > 0 && token < form.indexOf('type="file"'), `${url}: _csrf is the first field`);
    }
  });

  it("record attachments: token as the first field is accepted; none, in the URL or after the file is refused", async () => {
    const s = await signIn(app, editor);
    const before = await attachments();
    const none = await upload(attachUrl, s.cookie, multipart({ name: "a.pdf", data: PDF }));
    assert.equal(none.statusCode, 403);
    assert.match(none.body, /csrf_invalid/);
    const inUrl = await upload(
      `${attachUrl}?_csrf=${encodeURIComponent(s.csrfToken)}`,
      s.cookie,
      multipart({ name: "a.pdf", data: PDF }),
    );
    assert.equal(inUrl.statusCode, 403, "a token in the query string is no longer accepted");
    const boundary = "late-token";
    const late = await app.inject({
      method: "POST",
      url: attachUrl,
      headers: { cookie: s.cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        PDF,
        Buffer.from(
          `\r\n--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${s.csrfToken}\r\n--${boundary}--\r\n`,
        ),
      ]),
    });
    assert.equal(late.statusCode, 403, "the token after the file is too late");
    const forged = await upload(
      attachUrl,
      s.cookie,
      multipart({ name: "a.pdf", data: PDF }, { _csrf: "forged" }),
    );
    assert.equal(forged.statusCode, 403);
    assert.equal(await attachments(), before, "nothing stored");
    const ok = await upload(
      attachUrl,
      s.cookie,
      multipart({ name: "a.pdf", data: PDF }, { _csrf: s.csrfToken }),
    );
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    assert.equal(await attachments(), before + 1);
  });

  it("the ownership check still comes first: another agency's staff get 404 with or without a token", async () => {
    const s = await signIn(app, outsider);
    for (const fields of [{}, { _csrf: s.csrfToken }] as Record<string, string>[]) {
      const res = await upload(attachUrl, s.cookie, multipart({ name: "a.pdf", data: PDF }, fields));
      assert.equal(res.statusCode, 404, res.body.slice(0, 200));
      const imp = await upload(
        `/admin/agencies/${agency.slug}/catalog/import`,
        s.cookie,
        multipart({ name: "c.csv", data: Buffer.from(CSV), type: "text/csv" }, fields),
      );
      assert.equal(imp.statusCode, 404, imp.body.slice(0, 200));
    }
  });

  it("catalog import and the supervisor's report audit: refused without the field, accepted with it", async () => {
    const a = await signIn(app, admin);
    const csv = () => multipart({ name: "c.csv", data: Buffer.from(CSV), type: "text/csv" });
    const url = `/admin/agencies/${agency.slug}/catalog/import`;
    const none = await upload(url, a.cookie, csv());
    assert.equal(none.statusCode, 403);
    const ok = await upload(
      url,
      a.cookie,
      multipart({ name: "c.csv", data: Buffer.from(CSV), type: "text/csv" }, { _csrf: a.csrfToken }),
    );
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const s = await signIn(app, supervisor);
    const report = (fields: Record<string, string>) =>
      multipart(
        {
          name: "report.html",
          data: Buffer.from("<html><body><h1>2025年政府信息公开工作年度报告</h1></body></html>"),
          type: "text/html",
        },
        fields,
      );
    const refused = await upload("/admin/supervision/reports", s.cookie, report({}));
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /csrf_invalid/);
    const accepted = await upload("/admin/supervision/reports", s.cookie, report({ _csrf: s.csrfToken }));
    assert.notEqual(accepted.statusCode, 403, accepted.body.slice(0, 300));
    assert.ok(accepted.statusCode < 500);
  });
});
