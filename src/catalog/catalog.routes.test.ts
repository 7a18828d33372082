import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { seedDemoAgencies } from "../agencies/agency.service.ts";
import { seedDemoCatalogs } from "./catalog.seed.ts";
import { loadSeedCatalog } from "./catalog-seed.ts";

const { app, db, deps } = await createTestApp();
await seedDemoAgencies(db);
await seedDemoCatalogs(deps);
const agencyOf = async (slug: string) =>
  db.selectFrom("agencies").select(["id", "slug", "name"]).where("slug", "=", slug).executeTakeFirstOrThrow();

function multipart(fileName: string, content: Buffer | string, type = "text/csv") {
  const boundary = `----gongkai${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("public catalog API", () => {
  it("returns the published version with its date", async () => {
    const res = await app.inject({ url: "/api/v1/agencies/zhongwei-hrss/catalog" });
    assert.equal(res.statusCode, 200);
    const json = res.json();
    assert.equal(json.versionNo, 1);
    assert.equal(json.publishedAt, deps.clock.now().toISOString());
    const seed = loadSeedCatalog("zhongwei-hrss");
    const elements = seed?.items.reduce((n, i) => n + i.elements.length, 0);
    assert.deepEqual(json.counts, { level1: 6, level2: 42, level3: 0, deeper: 0, elements });
    assert.equal(json.items.length, 6);
    assert.equal(json.items[0].children[0].stableKey, "zhongwei-hrss:1.1");
    assert.equal(json.header.compiledBy, "李永翔");
  });

  it("404s: unknown agency, agency without a published catalog", async () => {
    const none = await app.inject({ url: "/api/v1/agencies/no-such-agency/catalog" });
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().error.code, "agency_not_found");
    const empty = await createAgency(db);
    const res = await app.inject({ url: `/api/v1/agencies/${empty.slug}/catalog` });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, "catalog_not_found");
  });

  it("exports the published catalog as xlsx, docx and csv", async () => {
    for (const [format, type] of [
      ["xlsx", "spreadsheetml"],
      ["docx", "wordprocessingml"],
      ["csv", "text/csv"],
    ] as const) {
      const res = await app.inject({ url: `/api/v1/agencies/qi-hrss/catalog/export?format=${format}` });
      assert.equal(res.statusCode, 200, format);
      assert.match(String(res.headers["content-type"]), new RegExp(type));
      assert.match(String(res.headers["content-disposition"]), new RegExp(`\\.${format}`));
    }
    const bad = await app.inject({ url: "/api/v1/agencies/qi-hrss/catalog/export?format=pdf" });
    assert.equal(bad.statusCode, 400);
  });
});

describe("staff catalog pages", () => {
  it("requires sign-in and the right agency", async () => {
    const anon = await app.inject({ url: "/admin/agencies/qi-hrss/catalog" });
    assert.equal(anon.statusCode, 303);
    const other = await agencyOf("zalantun-hrss");
    const outsider = await createUser(db, { roles: ["agency_admin"], agencyId: other.id });
    const s = await signIn(app, outsider);
    const res = await app.inject({ url: "/admin/agencies/qi-hrss/catalog", headers: s.headers });
    assert.equal(res.statusCode, 404);
    const api = await app.inject({ url: "/api/v1/agencies/qi-hrss/catalog/lint", headers: s.headers });
    assert.equal(api.statusCode, 404);
  });

  it("shows the tree and the linter's findings (21/22 working days of seed 000)", async () => {
    const qi = await agencyOf("qi-hrss");
    const editor = await createUser(db, { roles: ["editor"], agencyId: qi.id });
    const s = await signIn(app, editor);
    const page = await app.inject({ url: "/admin/agencies/qi-hrss/catalog", headers: s.headers });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /内设机构/);
    assert.match(page.body, /第1版/);
    const lint = await app.inject({ url: "/admin/agencies/qi-hrss/catalog/lint", headers: s.headers });
    assert.equal(lint.statusCode, 200);
    assert.match(lint.body, /公开时限为21个工作日/);
    assert.match(lint.body, /公开时限为22个工作日/);
    // An editor may read but not edit the catalog (catalog.edit: 政务公开办).
    const draft = await app.inject({
      method: "POST",
      url: "/admin/agencies/qi-hrss/catalog/draft",
      headers: s.headers,
      payload: {},
    });
    assert.equal(draft.statusCode, 403);
  });

  it("the import preview shows every row's parsed fields, 同上 results, warnings beside the row and the changes", async () => {
    const zw = await agencyOf("zhongwei-hrss");
    const admin = await createUser(db, { roles: ["agency_admin"], agencyId: zw.id });
    const a = await signIn(app, admin);
    const csv =
      "一级事项,二级事项,公开内容,公开时限,公开主体,公开渠道和载体,公开对象,责任单位\n" +
      "社会救助,1.1最低生活保障,办事指南,制定或获取信息之日起10个工作日内,县民政局,☑政府网站 ☑其他 村务公开栏,全社会,社会救助股\n" +
      "社会救助,1.2特困供养,办事指南,同上,同上,☑政府网站,全社会,社会救助股\n" +
      "社会救助,1.3临时救助,办事指南,按上级统一部署,县民政局,☑政府网站,全社会,社会救助股\n";
    const upload = multipart("救助.csv", csv);
    const posted = await app.inject({
      method: "POST",
      url: `/admin/agencies/zhongwei-hrss/catalog/import`,
      headers: { ...a.headers, "content-type": upload.contentType },
      payload: upload.body,
    });
    assert.equal(posted.statusCode, 303, posted.body);
    const preview = await app.inject({ url: String(posted.headers.location), headers: a.headers });
    assert.equal(preview.statusCode, 200);
    const body = preview.body;
    // Names and numbers split, the deadline reading, channels with the 其他 tick, 公开主体, 对象.
    assert.match(body, /<strong>1\.1 最低生活保障<\/strong>/);
    assert.match(body, /信息形成或者变更之日起10个工作日内公开/);
    assert.match(body, /政府网站、其他、村务公开栏/);
    assert.match(body, /县民政局/);
    // 同上 resolved, and said so on its row.
    assert.match(body, /“同上”取上一行：公开时限、公开主体/);
    // A deadline that is not understood: flagged on its row, no deadline computed.
    assert.match(body, /未能解读<\/span> 按上级统一部署/);
    const row = body.slice(body.indexOf("1.3 临时救助"));
    assert.match(row.slice(0, row.indexOf("</tr>")), /公开时限“按上级统一部署”未能解析/);
    // Changes against the published version, before anything is saved.
    assert.match(body, /与已发布的第\d+版相比：新增4项、删除\d+项/);
    assert.equal(
      (
        await db
          .selectFrom("catalog_versions")
          .select("id")
          .where("agency_id", "=", zw.id)
          .where("status", "=", "draft")
          .execute()
      ).length,
      0,
    );
  });

  it("old catalog URLs answer 301 (GET) / 308 (POST) to the agency's catalog pages, query kept; others get 404", async () => {
    const qi = await agencyOf("qi-hrss");
    const a = await signIn(app, await createUser(db, { roles: ["agency_admin"], agencyId: qi.id }));
    const cases: [string, string, number, string][] = [
      ["GET", "/admin/catalog/qi-hrss", 301, "/admin/agencies/qi-hrss/catalog"],
      [
        "GET",
        "/admin/catalog/qi-hrss/lint?version=v1",
        301,
        "/admin/agencies/qi-hrss/catalog/lint?version=v1",
      ],
      ["GET", "/admin/catalog/qi-hrss/compare?to=v2", 301, "/admin/agencies/qi-hrss/catalog/diff?to=v2"],
      [
        "GET",
        "/admin/catalog/qi-hrss/export?format=csv",
        301,
        "/admin/agencies/qi-hrss/catalog/export?format=csv",
      ],
      ["POST", "/admin/catalog/qi-hrss/draft", 308, "/admin/agencies/qi-hrss/catalog/draft"],
    ];
    for (const [method, url, status, location] of cases) {
      const res = await app.inject({ method: method as "GET", url, headers: a.headers, payload: {} });
      assert.equal(res.statusCode, status, url);
      assert.equal(res.headers.location, location, url);
    }
    const anon = await app.inject({ url: "/admin/catalog/qi-hrss/lint" });
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/admin\/login/);
    const zl = await agencyOf("zalantun-hrss");
    const outsider = await signIn(app, await createUser(db, { roles: ["agency_admin"], agencyId: zl.id }));
    const res = await app.inject({ url: "/admin/catalog/qi-hrss/lint", headers: outsider.headers });
    assert.equal(res.statusCode, 404);
  });

  it("old import URLs answer 301/308 to the agency's import pages; other agencies' staff and previews get 404", async () => {
    const zw = await agencyOf("zhongwei-hrss");
    const admin = await createUser(db, { roles: ["agency_admin"], agencyId: zw.id });
    const a = await signIn(app, admin);
    const upload = multipart("目录.csv", "一级事项,二级事项,公开时限\n机构职能,机构概况,根据变动及时更新\n");
    const posted = await app.inject({
      method: "POST",
      url: "/admin/catalog/zhongwei-hrss/import",
      headers: { ...a.headers, "content-type": upload.contentType },
      payload: upload.body,
    });
    assert.equal(posted.statusCode, 308, posted.body);
    assert.equal(posted.headers.location, "/admin/agencies/zhongwei-hrss/catalog/import");
    const moved = await app.inject({
      method: "POST",
      url: String(posted.headers.location),
      headers: { ...a.headers, "content-type": upload.contentType },
      payload: upload.body,
    });
    assert.equal(moved.statusCode, 303, moved.body);
    const previewUrl = String(moved.headers.location);
    const importId = previewUrl.split("/").at(-1) as string;

    const form = await app.inject({ url: "/admin/catalog/zhongwei-hrss/import", headers: a.headers });
    assert.equal(form.statusCode, 301);
    assert.equal(form.headers.location, "/admin/agencies/zhongwei-hrss/catalog/import");
    const old = await app.inject({
      url: `/admin/catalog/zhongwei-hrss/import/${importId}`,
      headers: a.headers,
    });
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, previewUrl);
    const oldDiscard = await app.inject({
      method: "POST",
      url: `/admin/catalog/zhongwei-hrss/import/${importId}/discard`,
      headers: a.headers,
      payload: {},
    });
    assert.equal(oldDiscard.statusCode, 308);
    assert.equal(oldDiscard.headers.location, `${previewUrl}/discard`);

    // Staff of another agency: the old and the new URLs are 404, and so is this agency's preview under theirs.
    const lc = await agencyOf("liaocheng-hrss");
    const other = await signIn(app, await createUser(db, { roles: ["agency_admin"], agencyId: lc.id }));
    for (const url of [
      "/admin/catalog/zhongwei-hrss/import",
      `/admin/catalog/zhongwei-hrss/import/${importId}`,
      "/admin/agencies/zhongwei-hrss/catalog/import",
      previewUrl,
      `/admin/catalog/liaocheng-hrss/import/${importId}`,
      `/admin/agencies/liaocheng-hrss/catalog/import/${importId}`,
    ]) {
      const res = await app.inject({ url, headers: other.headers });
      assert.equal(res.statusCode, 404, url);
    }
  });

  it("draft → edit (shows the parser's reading) → import → publish with reasons", async () => {
    const lc = await agencyOf("liaocheng-hrss");
    const admin = await createUser(db, { roles: ["agency_admin"], agencyId: lc.id });
    const approver = await createUser(db, { roles: ["approver"], agencyId: lc.id });
    const a = await signIn(app, admin);
    const draft = await app.inject({
      method: "POST",
      url: "/admin/agencies/liaocheng-hrss/catalog/draft",
      headers: a.headers,
      payload: {},
    });
    assert.equal(draft.statusCode, 303);
    const draftUrl = String(draft.headers.location);
    const draftPage = await app.inject({ url: draftUrl, headers: a.headers });
    const edit = /href="(\/admin\/agencies\/liaocheng-hrss\/catalog\/items\/[0-9a-f-]+\/edit)"/.exec(
      draftPage.body,
    )?.[1];
    assert.ok(edit);
    const form = await app.inject({ url: edit, headers: a.headers });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<legend>公开渠道和载体<\/legend>/);
    const saved = await app.inject({
      method: "POST",
      url: edit,
      headers: a.headers,
      payload: {
        name: "机构概况（三定方案）",
        contentText: "本部门最新机构职能",
        deadlineText: "1. 办事指南：实时公开 2. 办理结果：办理结果出来后20个工作日内公开",
        channels: "政府网站",
        responsibleText: "局办公室",
        mode: "主动",
        audience: "全社会",
      },
    });
    assert.equal(saved.statusCode, 200);
    assert.match(saved.body, /系统对公开时限的解读/);
    assert.match(saved.body, /办事指南：实时公开/);
    const invalid = await app.inject({
      method: "POST",
      url: edit,
      headers: a.headers,
      payload: { name: "", mode: "随便" },
    });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /请填写事项名称/);
    // An editor may not edit the catalog: 403, the form again with what they typed and why.
    const editor = await signIn(app, await createUser(db, { roles: ["editor"], agencyId: lc.id }));
    const byEditor = await app.inject({
      method: "POST",
      url: edit,
      headers: editor.headers,
      payload: { name: "编辑人员改写的名称", deadlineText: "10个工作日内" },
    });
    assert.equal(byEditor.statusCode, 403);
    assert.match(byEditor.body, /value="编辑人员改写的名称"/);
    assert.match(byEditor.body, /您没有执行此操作的权限/);
    // Another agency's item under this agency's URL is not found.
    const foreignItem = await db
      .selectFrom("catalog_items")
      .select("id")
      .where("agency_id", "<>", lc.id)
      .executeTakeFirstOrThrow();
    const foreign = await app.inject({
      url: `/admin/agencies/liaocheng-hrss/catalog/items/${foreignItem.id}/edit`,
      headers: a.headers,
    });
    assert.equal(foreign.statusCode, 404);

    // Import a CSV as a new draft (replacing the current one): an item is missing → removal needs a reason.
    const csv =
      "一级事项,二级事项,公开内容,公开时限,公开渠道,责任单位\n机构职能,机构概况（三定方案）,最新机构职能,根据变动及时更新,政府网站公开,局办公室\n";
    const upload = multipart("新目录.csv", csv);
    const noToken = await app.inject({
      method: "POST",
      url: "/admin/agencies/liaocheng-hrss/catalog/import",
      headers: { cookie: a.cookie, "content-type": upload.contentType },
      payload: upload.body,
    });
    assert.equal(noToken.statusCode, 403);
    const posted = await app.inject({
      method: "POST",
      url: `/admin/agencies/liaocheng-hrss/catalog/import`,
      headers: { ...a.headers, "content-type": upload.contentType },
      payload: upload.body,
    });
    assert.equal(posted.statusCode, 303, posted.body);
    const previewUrl = String(posted.headers.location);
    assert.match(previewUrl, /^\/admin\/agencies\/liaocheng-hrss\/catalog\/import\/[0-9a-f-]{36}$/);
    const preview = await app.inject({ url: previewUrl, headers: a.headers });
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /一级事项1项、二级事项1项/);
    assert.match(preview.body, /替换现有草稿/);
    const refused = await app.inject({
      method: "POST",
      url: `${previewUrl}/commit`,
      headers: a.headers,
      payload: {},
    });
    assert.equal(refused.statusCode, 409);
    const committed = await app.inject({
      method: "POST",
      url: `${previewUrl}/commit`,
      headers: a.headers,
      payload: { replaceDraft: "1" },
    });
    assert.equal(committed.statusCode, 303);

    // A bad upload: a clear error page naming the problem.
    const junk = multipart("people.csv", "姓名,电话\n张三,1\n");
    const bad = await app.inject({
      method: "POST",
      url: `/admin/agencies/liaocheng-hrss/catalog/import`,
      headers: { ...a.headers, "content-type": junk.contentType },
      payload: junk.body,
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /catalog_import_no_header/);

    // The 政务公开办 cannot publish; the approver can, with reasons for the removed items.
    const versions = await app.inject({
      url: "/api/v1/agencies/liaocheng-hrss/catalog/versions",
      headers: a.headers,
    });
    const draftId = versions.json().versions.find((v: { status: string }) => v.status === "draft").id;
    const denied = await app.inject({
      method: "POST",
      url: `/admin/agencies/liaocheng-hrss/catalog/versions/${draftId}/publish`,
      headers: a.headers,
      payload: {},
    });
    assert.equal(denied.statusCode, 403);
    const p = await signIn(app, approver);
    const publishForm = await app.inject({
      url: `/admin/agencies/liaocheng-hrss/catalog/versions/${draftId}/publish`,
      headers: p.headers,
    });
    assert.equal(publishForm.statusCode, 200);
    assert.match(publishForm.body, /须说明理由/);
    const noReason = await app.inject({
      method: "POST",
      url: `/admin/agencies/liaocheng-hrss/catalog/versions/${draftId}/publish`,
      headers: p.headers,
      payload: {},
    });
    assert.equal(noReason.statusCode, 409);
    assert.match(noReason.body, /请说明删除或弱化的理由/);
    const reasonFields = [...publishForm.body.matchAll(/name="(reason:[^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(reasonFields.length > 10);
    const payload: Record<string, string> = {};
    for (const f of reasonFields) payload[f] = "按2026年机构改革调整目录";
    // The page carries what the signer saw: after it was opened someone saved an item of the draft, so publishing
    // from it is refused (nothing published) and the page comes back with the current differences.
    const seen = /name="stamp" value="([0-9a-f]+)"/.exec(publishForm.body)?.[1];
    assert.ok(seen, "the publish page carries the draft's stamp");
    await db
      .updateTable("catalog_items")
      .set({ remarks: "审签页面打开后的修改" })
      .where("version_id", "=", draftId)
      .where("level", "=", 2)
      .execute();
    const stale = await app.inject({
      method: "POST",
      url: `/admin/agencies/liaocheng-hrss/catalog/versions/${draftId}/publish`,
      headers: p.headers,
      payload: { ...payload, stamp: seen },
    });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /您打开审签发布页面后，该目录草稿又被修改，本次未发布/);
    assert.match(stale.body, /按2026年机构改革调整目录/, "the reasons typed are kept");
    const current = /name="stamp" value="([0-9a-f]+)"/.exec(stale.body)?.[1];
    assert.ok(current && current !== seen);
    assert.equal(
      (await app.inject({ url: "/api/v1/agencies/liaocheng-hrss/catalog" })).json().versionNo,
      1,
      "nothing published",
    );
    payload.stamp = current;
    const ok = await app.inject({
      method: "POST",
      url: `/admin/agencies/liaocheng-hrss/catalog/versions/${draftId}/publish`,
      headers: p.headers,
      payload,
    });
    assert.equal(ok.statusCode, 303);
    const pub = await app.inject({ url: "/api/v1/agencies/liaocheng-hrss/catalog" });
    // Version 2 was the replaced draft; the import took its number.
    assert.equal(pub.json().versionNo, 2);
    assert.equal(pub.json().counts.level2, 1);
    // The comparison page shows the recorded reasons.
    const compare = await app.inject({
      url: `/admin/agencies/liaocheng-hrss/catalog/diff?to=${draftId}`,
      headers: p.headers,
    });
    assert.match(compare.body, /按2026年机构改革调整目录/);
  });
});
