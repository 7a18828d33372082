import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { csrfFromPage, signIn } from "../../test/auth.ts";
import { createAgency, createRegion, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { NOTICE_2027 } from "./calendar.fixtures.ts";
import { getCalendarForAgency, getNationalCalendar } from "./calendar.service.ts";

describe("calendar routes", async () => {
  const { app, db, deps } = await createTestApp();
  const admin = await createUser(db, { roles: ["platform_admin"], displayName: "平台管理员" });
  const agency = await createAgency(db);
  const agencyAdmin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
  const s = await signIn(app, admin);

  it("serves the official calendar as public iCalendar", async () => {
    const res = await app.inject({ url: "/calendar/2026.ics" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/calendar/);
    assert.match(res.body, /^BEGIN:VCALENDAR\r\n/);
    assert.match(res.body, /SUMMARY:国庆节（休）/);
    assert.equal((await app.inject({ url: "/calendar/20x6.ics" })).statusCode, 404);
    assert.equal((await app.inject({ url: "/calendar/2026.txt" })).statusCode, 404);
    assert.equal((await app.inject({ url: "/calendar/1900.ics" })).statusCode, 400);
  });

  it("serves a year as public JSON", async () => {
    const res = await app.inject({ url: "/api/v1/calendar/2025" });
    assert.equal(res.statusCode, 200);
    const view = res.json();
    assert.equal(view.official, true);
    assert.equal(view.days.find((d: { date: string }) => d.date === "2025-10-01").name, "国庆节、中秋节");
  });

  it("the admin page needs calendar.manage (platform administrator)", async () => {
    assert.equal((await app.inject({ url: "/admin/calendar" })).statusCode, 303);
    const other = await signIn(app, agencyAdmin);
    assert.equal((await app.inject({ url: "/admin/calendar", headers: other.headers })).statusCode, 403);
    const res = await app.inject({ url: "/admin/calendar?year=2026", headers: s.headers });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>工作日历<\/h1>/);
    assert.match(res.body, /<caption>2026年10月<\/caption>/);
    assert.match(res.body, /1日 休息（元旦）/);
    assert.ok(csrfFromPage(res.body), "forms carry the CSRF token");
    const ids = [...res.body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
      "element ids are unique",
    );
    const y2027 = await app.inject({ url: "/admin/calendar?year=2027", headers: s.headers });
    assert.match(y2027.body, /2027年放假安排尚未录入/);
  });

  it("refuses a form post without a CSRF token", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/admin/calendar/overrides",
      headers: { cookie: s.cookie },
      payload: { date: "2026-03-18", kind: "rest", name: "x" },
    });
    assert.equal(res.statusCode, 403);
  });

  it("shows field-level errors and keeps the values", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/admin/calendar/overrides",
      headers: { cookie: s.cookie },
      payload: { _csrf: s.csrfToken, date: "2026-03-24", kind: "work", name: "补班", category: "closure" },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="error-summary"/);
    assert.match(res.body, /调休上班日须为星期六或星期日/);
    assert.match(res.body, /aria-invalid="true"/);
    assert.match(res.body, /value="补班"/);
    const bad = await app.inject({
      method: "POST",
      url: "/admin/calendar/notices",
      headers: { cookie: s.cookie },
      payload: {
        _csrf: s.csrfToken,
        year: "2027",
        title: "通知",
        docNumber: "2027-1",
        noticeDate: "2026-13-01",
        days: "x",
      },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /文号格式应为/);
    assert.match(bad.body, /日期格式应为YYYY-MM-DD/);
    assert.match(bad.body, /第1行/);
    assert.match(bad.body, /<a href="#f-noticeDate">成文日期：日期格式应为/);
  });

  it("enters a regional day (audited) and the 2027 notice", async () => {
    const region = await createRegion(db);
    const local = await createAgency(db, { regionId: region.id });
    const res = await app.inject({
      method: "POST",
      url: "/admin/calendar/overrides",
      headers: { cookie: s.cookie },
      payload: {
        _csrf: s.csrfToken,
        date: "2026-03-18",
        kind: "rest",
        name: "三月三",
        category: "holiday",
        regionId: region.id,
      },
    });
    assert.equal(res.statusCode, 303, res.body);
    assert.match(String(res.headers.location), /^\/admin\/calendar\?year=2026&done=override&n=0$/);
    assert.equal((await getCalendarForAgency(deps, local.id)).isWorkingDay("2026-03-18"), false);
    assert.equal((await getNationalCalendar(deps)).isWorkingDay("2026-03-18"), true);
    const [event] = await listAuditEvents(db, { action: "calendar.override.add" });
    assert.equal(event?.actorName, "平台管理员");

    const dup = await app.inject({
      method: "POST",
      url: "/admin/calendar/overrides",
      headers: { cookie: s.cookie },
      payload: { _csrf: s.csrfToken, date: "2026-03-18", kind: "rest", name: "again", regionId: region.id },
    });
    assert.equal(dup.statusCode, 409);
    assert.match(dup.body, /已有调整记录（三月三）/);

    const notice = await app.inject({
      method: "POST",
      url: "/admin/calendar/notices",
      headers: { cookie: s.cookie },
      payload: { _csrf: s.csrfToken, ...NOTICE_2027, year: "2027", noticeDate: NOTICE_2027.date },
    });
    assert.equal(notice.statusCode, 303, notice.body);
    const page = await app.inject({ url: String(notice.headers.location), headers: s.headers });
    assert.match(page.body, /放假通知已录入/);
    assert.match(page.body, /国办发明电〔2026〕99号/);
    const ics = await app.inject({ url: "/calendar/2027.ics" });
    assert.match(ics.body, /SUMMARY:元旦（休）/);
  });

  it("deletes an override through its form", async () => {
    const list = await app.inject({ url: "/api/v1/calendar-overrides", headers: s.headers });
    const target = list.json().overrides.find((o: { name: string }) => o.name === "三月三");
    const res = await app.inject({
      method: "POST",
      url: `/admin/calendar/overrides/${target.id}/delete`,
      headers: { cookie: s.cookie },
      payload: { _csrf: s.csrfToken },
    });
    assert.equal(res.statusCode, 303);
    const again = await app.inject({
      method: "POST",
      url: `/admin/calendar/overrides/${target.id}/delete`,
      headers: { cookie: s.cookie },
      payload: { _csrf: s.csrfToken },
    });
    assert.equal(again.statusCode, 404);
  });

  it("JSON API returns errors with fields", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/calendar-overrides",
      headers: s.headers,
      payload: { date: "2026/03/18", kind: "rest", name: "x" },
    });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.error.code, "calendar_override_invalid");
    assert.equal(body.error.fields[0].field, "date");
  });
});
