import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { publishOn, useDemoIndexCode } from "../publishing/publishing.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";
import { findPossibleAnswers, searchPhrases } from "./possible-answers.service.ts";

describe("search phrases from what the applicant typed", () => {
  it("文号 first, then the title, then its longest phrases without filler words", () => {
    assert.deepEqual(searchPhrases("关于2024年度就业补助资金分配结果的信息", "某人社发〔2024〕12号"), [
      "某人社发〔2024〕12号",
      "关于2024年度就业补助资金分配结果的信息",
      "2024年度就业补助资金分配结果",
    ]);
    assert.deepEqual(searchPhrases("x", ""), []);
  });
});

describe("published records that may already answer an application (条例第36条(一))", async () => {
  const deps = await createTestDeps({ clock: fixedClock("2025-06-02T10:00:00+08:00") });
  const a = await createAgency(deps.db);
  const agency = await getAgencyBySlug(deps.db, a.slug);
  const boss = await createUser(deps.db, {
    roles: ["agency_admin", "editor", "reviewer", "approver"],
    agencyId: agency.id,
  });
  const items = await createPublishedCatalog(deps.db, agency.id, [
    { key: "funds", name: "就业补助资金", deadline: "信息形成或者变更之日起20个工作日内" },
  ]);
  await useDemoIndexCode(deps, agency.id, "DEMO-REQUESTS");
  const recordId = await publishOn(deps, staffActor(boss), agency.id, "2025-05-06", {
    title: "2024年度就业补助资金分配结果公示",
    docNumber: "测人社发〔2025〕8号",
    formedDate: "2025-05-01",
    itemId: items.funds?.id ?? null,
    bodyHtml: "<p>正文</p>",
  });

  it("finds the record by a phrase of the title and by its 文号", async () => {
    const byTitle = await findPossibleAnswers(deps, agency, {
      title: "关于2024年度就业补助资金分配结果的信息",
      docNumber: "",
    });
    assert.deepEqual(
      byTitle.map((x) => x.url),
      [`/agencies/${agency.slug}/records/${recordId}`],
    );
    const byDoc = await findPossibleAnswers(deps, agency, {
      title: "某文件",
      docNumber: "测人社发〔2025〕8号",
    });
    assert.equal(byDoc[0]?.docNumber, "测人社发〔2025〕8号");
    assert.deepEqual(await findPossibleAnswers(deps, agency, { title: "完全无关的内容", docNumber: "" }), []);
  });
});
