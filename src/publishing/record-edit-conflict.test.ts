import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { movableClock } from "../../test/clock.ts";
import { createAgency, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { useDemoIndexCode } from "./publishing.fixtures.ts";

const clock = movableClock("2026-03-16T10:00:00+08:00");
const { app, db, deps } = await createTestApp({ clock });
const agency = await createAgency(db, { name: "测试市人力资源和社会保障局" });
const items = await createPublishedCatalog(db, agency.id, [
  { key: "policy", name: "就业政策文件", deadline: "信息形成或者变更之日起20个工作日内" },
]);
await useDemoIndexCode(deps, agency.id, "DEMO-WEB");
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const base = `/admin/agencies/${agency.slug}/records`;

async function post(user: TestUser, url: string, fields: Record<string, string>) {
  const s = await signIn(app, user);
  return app.inject({
    method: "POST",
    url,
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
  });
}

async function editForm(user: TestUser, id: string): Promise<Record<string, string>> {
  const s = await signIn(app, user);
  const page = (await app.inject({ url: `${base}/${id}/edit`, headers: { cookie: s.cookie } })).body;
  const stamp = /name="stamp" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(stamp, "the edit form carries the draft's stamp");
  return { stamp };
}

const content = (title: string) => ({
  kind: "document",
  title,
  issuingAgency: agency.name,
  formedDate: "2026-03-02",
  itemId: items.policy!.id,
  disclosure: "主动公开",
  bodyHtml: "<p>正文</p>",
});

describe("two staff editing the same draft", () => {
  it("a save from a form opened before another save is refused with the typed text kept", async () => {
    const created = await post(editor, base, content("初稿标题"));
    assert.equal(created.statusCode, 303, created.body);
    const id = /records\/([0-9a-f-]{36})/.exec(created.headers.location as string)?.[1] as string;

    clock.advanceMinutes(1);
    const editorsForm = await editForm(editor, id);
    const adminsForm = await editForm(admin, id);
    clock.advanceMinutes(1);
    const first = await post(admin, `${base}/${id}`, { ...content("政务公开办改过的标题"), ...adminsForm });
    assert.equal(first.statusCode, 303, first.body);

    clock.advanceMinutes(1);
    const late = await post(editor, `${base}/${id}`, { ...content("信息员写的标题"), ...editorsForm });
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /其他工作人员已修改并保存了该信息/);
    assert.match(late.body, /value="信息员写的标题"/, "what the editor typed comes back");
    const row = await db.selectFrom("records").select("title").where("id", "=", id).executeTakeFirstOrThrow();
    assert.equal(row.title, "政务公开办改过的标题", "the earlier save is not overwritten");

    // The form shown again carries the current save: saving it now is a deliberate overwrite.
    const again = /name="stamp" value="([^"]+)"/.exec(late.body)?.[1] as string;
    const retry = await post(editor, `${base}/${id}`, { ...content("信息员写的标题"), stamp: again });
    assert.equal(retry.statusCode, 303, retry.body);
  });

  it("uploading an attachment or a pasted image while the form is open does not make its save a conflict", async () => {
    const created = await post(editor, base, content("带图片的信息"));
    const id = /records\/([0-9a-f-]{36})/.exec(created.headers.location as string)?.[1] as string;
    const form = await editForm(editor, id);
    clock.advanceMinutes(1);
    const s = await signIn(app, editor);
    const boundary = "----gkimage";
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const upload = await app.inject({
      method: "POST",
      url: `${base}/${id}/images`,
      headers: { ...s.headers, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${s.csrfToken}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    assert.ok(upload.statusCode < 300, `${upload.statusCode} ${upload.body.slice(0, 200)}`);
    clock.advanceMinutes(1);
    const saved = await post(editor, `${base}/${id}`, { ...content("带图片的信息（改）"), ...form });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
  });

  it("a draft submitted meanwhile shows the form again with the typed text, not an error page", async () => {
    const created = await post(editor, base, content("待提交的信息"));
    const id = /records\/([0-9a-f-]{36})/.exec(created.headers.location as string)?.[1] as string;
    const form = await editForm(editor, id);
    assert.equal((await post(editor, `${base}/${id}/submit`, {})).statusCode, 303);
    const late = await post(editor, `${base}/${id}`, { ...content("提交后才保存的标题"), ...form });
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /value="提交后才保存的标题"/);
  });
});

describe("a step done twice", () => {
  it("is refused naming the record's status in Chinese", async () => {
    const created = await post(editor, base, content("提交两次的信息"));
    const id = /records\/([0-9a-f-]{36})/.exec(created.headers.location as string)?.[1] as string;
    assert.equal((await post(editor, `${base}/${id}/submit`, {})).statusCode, 303);
    const twice = await post(editor, `${base}/${id}/submit`, {});
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /该信息当前为“待审核”状态，不能执行“提交审核”/);
    assert.doesNotMatch(twice.body, /“submitted”/);
  });
});

describe("a withdrawn record revised", () => {
  it("says the portal no longer shows it, not that it shows revision 1", async () => {
    const reviewer = await createUser(db, { roles: ["reviewer"], agencyId: agency.id });
    const approver = await createUser(db, { roles: ["approver"], agencyId: agency.id });
    const created = await post(editor, base, content("撤回后修订的信息"));
    const id = /records\/([0-9a-f-]{36})/.exec(created.headers.location as string)?.[1] as string;
    const checklist = {
      noStateSecret: "1",
      noWorkSecret: "1",
      noPersonalPrivacy: "1",
      noTradeSecret: "1",
      noThreeSecurityRisk: "1",
      consistentWithPolicy: "1",
    };
    assert.equal((await post(editor, `${base}/${id}/submit`, {})).statusCode, 303);
    assert.equal((await post(reviewer, `${base}/${id}/review`, checklist)).statusCode, 303);
    assert.equal((await post(approver, `${base}/${id}/approve`, {})).statusCode, 303);
    const published = await post(approver, `${base}/${id}/publish`, {});
    assert.equal(published.statusCode, 303, /error-summary[\s\S]{0,400}/.exec(published.body)?.[0]);
    assert.equal((await post(approver, `${base}/${id}/withdraw`, { reason: "内容有误" })).statusCode, 303);
    assert.equal((await post(editor, `${base}/${id}/revise`, {})).statusCode, 303);
    const s = await signIn(app, editor);
    const page = (await app.inject({ url: `${base}/${id}`, headers: { cookie: s.cookie } })).body;
    assert.match(page, /该信息已撤回，门户不再显示；本页显示正在办理的第2版，发布后重新公开。/);
    assert.doesNotMatch(page, /门户当前显示第1版/);
  });
});

describe("a reviewer's page opened before the content changed", () => {
  it("审核 from it is refused when the editor recalled, changed and resubmitted meanwhile; the page shows what changed", async () => {
    const reviewer = await createUser(db, { roles: ["reviewer"], agencyId: agency.id });
    const created = await post(editor, base, content("送审的标题"));
    const id = /records\/([0-9a-f-]{36})/.exec(created.headers.location as string)?.[1] as string;
    assert.equal((await post(editor, `${base}/${id}/submit`, {})).statusCode, 303);

    const s = await signIn(app, reviewer);
    const page = (await app.inject({ url: `${base}/${id}`, headers: { cookie: s.cookie } })).body;
    const seen = /action="[^"]*\/review"[^>]*>.*?name="stamp" value="([0-9a-f]+)"/s.exec(page)?.[1];
    assert.ok(seen, "the review form carries the stamp of the revision shown");

    // The editor takes it back, changes it and submits it again before the reviewer clicks.
    assert.equal((await post(editor, `${base}/${id}/recall`, {})).statusCode, 303);
    const form = await editForm(editor, id);
    assert.equal(
      (await post(editor, `${base}/${id}`, { ...content("改过的标题"), ...form })).statusCode,
      303,
    );
    assert.equal((await post(editor, `${base}/${id}/submit`, {})).statusCode, 303);

    const checklist = {
      noStateSecret: "1",
      noWorkSecret: "1",
      noPersonalPrivacy: "1",
      noTradeSecret: "1",
      noThreeSecurityRisk: "1",
      consistentWithPolicy: "1",
    };
    const stale = await post(reviewer, `${base}/${id}/review`, { ...checklist, stamp: seen });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /该信息的内容已变化/);
    assert.match(stale.body, /改过的标题/, "the page shows the current content");
    const rev = await db
      .selectFrom("record_revisions")
      .select("status")
      .where("record_id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(rev.status, "submitted", "not reviewed");

    const current = /action="[^"]*\/review"[^>]*>.*?name="stamp" value="([0-9a-f]+)"/s.exec(stale.body)?.[1];
    assert.ok(current && current !== seen);
    const ok = await post(reviewer, `${base}/${id}/review`, { ...checklist, stamp: current });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
  });
});
