import assert from "node:assert/strict";
import net from "node:net";
import { after, describe, it } from "node:test";
import { createAgency, createDepartment, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";
import { createMailer, noticesFor, runDutyNotices } from "./notification.service.ts";
import { updatePublishingSettings } from "./publishing-settings.service.ts";
import { createRecord } from "./record-draft.service.ts";

/** A minimal SMTP sink on 127.0.0.1 that records envelopes and message data. */
async function startSmtpSink(): Promise<{
  port: number;
  messages: { rcpt: string[]; data: string }[];
  close(): void;
}> {
  const messages: { rcpt: string[]; data: string }[] = [];
  const server = net.createServer((socket) => {
    let buffer = "";
    let inData = false;
    let rcpt: string[] = [];
    let data = "";
    socket.write("220 sink ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          messages.push({ rcpt, data });
          rcpt = [];
          data = "";
          socket.write("250 OK queued\r\n");
          continue;
        }
        const nl = buffer.indexOf("\r\n");
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === "EHLO" || cmd === "HELO") socket.write("250-sink\r\n250 8BITMIME\r\n");
        else if (cmd === "MAIL") socket.write("250 OK\r\n");
        else if (cmd === "RCPT") {
          rcpt.push(/<([^>]+)>/.exec(line)?.[1] ?? "");
          socket.write("250 OK\r\n");
        } else if (cmd === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (cmd === "QUIT") {
          socket.end("221 bye\r\n");
          return;
        } else socket.write("250 OK\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, messages, close: () => server.close() };
}

function decodeSubject(data: string): string {
  const raw = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(data)?.[1] ?? "";
  return raw
    .replace(/\r\n[ \t]/g, " ")
    .replace(/=\?UTF-8\?B\?([^?]+)\?=\s*/gi, (_, b64: string) => Buffer.from(b64, "base64").toString("utf8"))
    .replace(/=\?UTF-8\?Q\?([^?]+)\?=\s*/gi, (_, q: string) =>
      Buffer.from(
        q
          .replace(/_/g, " ")
          .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        "latin1",
      ).toString("utf8"),
    );
}

const sink = await startSmtpSink();
after(() => sink.close());
const deps = await createTestDeps({
  clock: fixedClock("2025-10-30T10:00:00+08:00"),
  config: { smtpUrl: `smtp://127.0.0.1:${sink.port}`, mailFrom: "gongkai@example.gov.cn" },
});
const agencyId = (await createAgency(deps.db)).id;
const jobs = await createDepartment(deps.db, agencyId, "就业促进股");
const items = await createPublishedCatalog(deps.db, agencyId, [
  {
    key: "policy",
    name: "就业政策文件",
    deadline: "信息形成或者变更之日起20个工作日内",
    departmentId: jobs.id,
  },
]);
const editor = await createUser(deps.db, { roles: ["editor"], agencyId });
await updatePublishingSettings(deps, null, agencyId, {
  indexTemplate: "{CODE}/{YYYY}-{NNNNN}",
  indexCode: "DEMO-NOTE",
  indexCodeIsDemo: true,
  notifyEmails: { "*": ["gkb@example.gov.cn"], [jobs.id]: ["jiuye@example.gov.cn"] },
});
const at = (d: string) => ({ ...deps, clock: fixedClock(`${d}T10:00:00+08:00`) });
// Overdue on 2025-10-30 (due 2025-09-28), and due soon (formed 2025-10-06, a holiday → due 2025-11-04).
await createRecord(at("2025-09-02"), staffActor(editor), agencyId, {
  title: "关于开展2025年度养老保险待遇资格认证的通知",
  formedDate: "2025-09-01",
  itemId: items.policy!.id,
});
await createRecord(at("2025-10-09"), staffActor(editor), agencyId, {
  title: "2025年9月城镇新增就业情况",
  formedDate: "2025-10-06",
  itemId: items.policy!.id,
});

describe("duty notices", () => {
  it("notices before and after a due date, once each, to the responsible department, e-mailed in the background", async () => {
    const run = await runDutyNotices(deps, agencyId, "2025-10-30");
    assert.deepEqual(run.created.map((n) => [n.kind, n.department_id]).sort(), [
      ["due_soon", jobs.id],
      ["overdue", jobs.id],
    ]);
    assert.ok(
      run.created.some((n) =>
        n.subject.startsWith("【已逾期】《关于开展2025年度养老保险待遇资格认证的通知》"),
      ),
    );
    const mailed = await run.mailed;
    assert.deepEqual(mailed, { sent: 2, failed: 0 });
    assert.equal(sink.messages.length, 2);
    assert.deepEqual(sink.messages[0]?.rcpt.sort(), ["gkb@example.gov.cn", "jiuye@example.gov.cn"]);
    const subjects = sink.messages.map((m) => decodeSubject(m.data)).sort();
    assert.ok(
      subjects.some((s) => s.includes("【即将到期】《2025年9月城镇新增就业情况》")),
      subjects.join(" | "),
    );
    const again = await runDutyNotices(deps, agencyId, "2025-10-30");
    assert.equal(again.created.length, 0, "deduplicated");
    const rows = await deps.db
      .selectFrom("duty_notices")
      .select("emailed_at")
      .where("agency_id", "=", agencyId)
      .execute();
    assert.ok(rows.every((r) => r.emailed_at !== null));
  });

  it("a mail server that is down does not fail the run", async () => {
    const down = createMailer({ smtpUrl: "smtp://127.0.0.1:1", mailFrom: "x@example.gov.cn" });
    const run = await runDutyNotices(deps, agencyId, "2025-11-28", down);
    assert.ok(run.created.length > 0);
    const mailed = await run.mailed;
    assert.equal(mailed.sent, 0);
    assert.equal(mailed.failed, run.created.length);
  });

  it("noticesFor: overdue after the due date, due soon within 3 working days, nothing earlier", () => {
    const base = {
      kind: "record" as const,
      id: "r",
      title: "T",
      departmentId: null,
      departmentName: null,
      link: "/x",
      explanation: "",
    };
    const drafts = noticesFor(
      [
        { ...base, id: "a", due: "2025-10-29", workingDays: -1 },
        { ...base, id: "b", due: "2025-11-04", workingDays: 3 },
        { ...base, id: "c", due: "2025-11-05", workingDays: 4 },
      ],
      "2025-10-30",
    );
    assert.deepEqual(
      drafts.map((d) => d.dedupeKey),
      ["overdue:record:a:2025-10-29", "due_soon:record:b:2025-11-04"],
    );
  });
});
