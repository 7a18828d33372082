import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { testConfig } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { createDeps, type Deps } from "../deps.ts";
import type { WorkSection } from "../http/console-links.ts";
import { captureMessenger } from "../messaging/messenger.ts";
import { createRecord } from "../publishing/record-draft.service.ts";
import { registerApplication } from "../requests/intake.service.ts";
import { fixedClock } from "../shared/clock.ts";
import { personalDeadlineNoticesJob } from "./accounts.jobs.ts";
import { deadlineNotices } from "./deadline-notices.service.ts";
import { staffActor } from "./policy.ts";

const db = (await createTestDatabase()).db;
const messenger = captureMessenger();
const depsAt = new Map<string, Deps>();
/** The app's dependencies with the clock fixed at 10:00 Beijing time on `day` (one database). */
function at(day: string): Deps {
  let deps = depsAt.get(day);
  if (!deps) {
    deps = createDeps(testConfig(), db, {
      clock: fixedClock(`${day}T10:00:00+08:00`),
      logger: pino({ level: "silent" }),
      messenger,
    });
    depsAt.set(day, deps);
  }
  return deps;
}

const agency = await getAgencyBySlug(db, (await createAgency(db, { name: "测试县交通运输局" })).slug);
await fillGuideContact(db, agency.id);
const items = await createPublishedCatalog(
  db,
  agency.id,
  [{ key: "policy", name: "政策文件", deadline: "信息形成或者变更之日起20个工作日内" }],
  { publishedAt: new Date("2025-01-02T02:00:00Z") },
);
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id, displayName: "王信息员" });
const handler = await createUser(db, {
  roles: ["request_handler"],
  agencyId: agency.id,
  displayName: "李经办",
});
const reviewer = await createUser(db, { roles: ["reviewer"], agencyId: agency.id });
await db
  .updateTable("staff_users")
  .set({ email: "li@example.gov.cn" })
  .where("id", "=", handler.id)
  .execute();

// A draft formed 2025-09-01: due 2025-09-28 (20 working days, 条例第26条), overdue in late October.
const draft = await createRecord(at("2025-09-02"), staffActor(editor), agency.id, {
  title: "关于开展道路运输安全检查的通知",
  formedDate: "2025-09-01",
  itemId: items.policy!.id,
});
// An application handed in on 2025-09-26: reply due 2025-10-30 (国庆/中秋 not counted).
const application = (
  await registerApplication(at("2025-09-26"), agency, staffActor(handler), {
    applicantType: "natural_person",
    name: "张三",
    idType: "resident_id",
    idNumber: "11010519491231002X",
    phone: "13812345678",
    email: "zhang@example.com",
    address: "某市某路1号",
    postalCode: "010000",
    infoTitle: "2024年度客运补贴发放情况",
    infoDocNumber: "",
    infoDescription: "",
    form: "electronic",
    delivery: "email",
    channel: "in_person",
    submittedOn: "2025-09-26",
  })
).request;

async function run(day: string) {
  const deps = at(day);
  return personalDeadlineNoticesJob.run({
    deps,
    jobId: "test",
    attempt: 0,
    signal: new AbortController().signal,
    data: {},
  });
}

async function noticesOf(userId: string) {
  return db
    .selectFrom("staff_notifications")
    .select(["kind", "link", "subject", "body"])
    .where("user_id", "=", userId)
    .where("kind", "like", "deadline_%")
    .orderBy("created_at")
    .orderBy("kind")
    .execute();
}

describe("personal deadline notices", () => {
  it("the pure rule: one notice per dated item of the deadline sections, due soon or overdue", () => {
    const sections: WorkSection[] = [
      {
        key: "records.due",
        label: "即将到期或已逾期、尚未发布",
        count: 3,
        items: [
          { title: "甲", href: "/a", due: "2025-10-27", overdue: true },
          { title: "乙", href: "/b", due: "2025-10-30" },
          { title: "丙", href: "/c" },
        ],
      },
      {
        key: "records.review",
        label: "待我审核",
        count: 1,
        items: [{ title: "丁", href: "/d", due: "2025-10-01" }],
      },
    ];
    const out = deadlineNotices(sections, "2025-10-28");
    assert.deepEqual(
      out.map((n) => [n.kind, n.link, n.dedupeKey]),
      [
        ["deadline_overdue", "/a", "deadline:overdue:/a:2025-10-27"],
        ["deadline_due_soon", "/b", "deadline:due_soon:/b:2025-10-30"],
      ],
    );
    assert.match(out[0]!.body, /期限2025年10月27日，已逾期/);
    assert.deepEqual(deadlineNotices(sections, "2025-10-28"), out, "same sections, same notices");
  });

  it("the job tells each person of their own work once per item and threshold, and e-mails who asked", async () => {
    const first = await run("2025-10-28");
    assert.equal(first.totals.notices, 2);
    const recordLink = `/admin/agencies/${agency.slug}/records/${draft.id}`;
    const requestLink = `/admin/agencies/${agency.slug}/requests/${application.id}`;
    assert.deepEqual(
      (await noticesOf(editor.id)).map((n) => [n.kind, n.link]),
      [["deadline_overdue", recordLink]],
    );
    const mine = await noticesOf(handler.id);
    assert.deepEqual(
      mine.map((n) => [n.kind, n.link]),
      [["deadline_due_soon", requestLink]],
    );
    assert.match(mine[0]!.body, /2025年10月30日/);
    assert.deepEqual(await noticesOf(reviewer.id), [], "a reviewer has no draft or application to act on");
    assert.deepEqual(
      messenger.sent.map((m) => [m.to, m.subject]),
      [["li@example.gov.cn", mine[0]!.subject]],
    );

    const again = await run("2025-10-28");
    assert.equal(again.totals.notices, 0, "a second run the same day adds nothing");
    assert.equal(messenger.sent.length, 1);

    // Past the reply deadline: the application crosses into 已逾期 (a new threshold), the draft stays notified once.
    const later = await run("2025-10-31");
    assert.equal(later.totals.notices, 1);
    assert.deepEqual(
      (await noticesOf(handler.id)).map((n) => n.kind),
      ["deadline_due_soon", "deadline_overdue"],
    );
    assert.equal((await noticesOf(editor.id)).length, 1);
  });
});
