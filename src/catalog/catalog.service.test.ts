import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { withEvents } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { systemActor } from "../accounts/policy.ts";
import { seedDemoAgencies } from "../agencies/agency.service.ts";
import type { Db } from "../db/database.ts";
import { createDocumentPool } from "../documents/document-pool.ts";
import { isAppError } from "../errors.ts";
import { walkItems } from "./catalog.model.ts";
import { seedDemoCatalogs } from "./catalog.seed.ts";
import { normalizeChannel } from "./catalog-cells.rules.ts";
import { exportCatalog } from "./catalog-export.service.ts";
import { EXPORT_FORMATS } from "./catalog-export.ts";
import { commitImport, previewImport } from "./catalog-import.service.ts";
import { addItem, deleteItem, inputFromItem, updateItem } from "./catalog-items.service.ts";
import { lintCatalogVersion } from "./catalog-lint.service.ts";
import { loadSeedCatalog, SEED_SLUGS } from "./catalog-seed.ts";
import {
  type CatalogNode,
  getCatalogVersion,
  getDraftCatalog,
  getPublishedCatalog,
  listCatalogVersions,
  listPublishedItems,
} from "./catalog-tree.service.ts";
import { diffVersions, openDraft, publishVersion } from "./catalog-versions.service.ts";
import type { SeedItem } from "./seeds/seed-catalog.types.ts";

const documents = createDocumentPool();
after(() => documents.close());

const NOW = new Date("2026-03-16T02:00:00Z");
const clock = { now: () => NOW, today: () => "2026-03-16" };
const actor = systemActor("测试");

const db: Db = (await createTestDatabase()).db;
const dbDeps = withEvents(db);
const agencyIds = new Map<string, { id: string; name: string; shortName: string }>();

before(async () => {
  await seedDemoAgencies(db);
  const first = await seedDemoCatalogs({ db, clock, audit: dbDeps.audit });
  assert.deepEqual(first.created.sort(), [...SEED_SLUGS].sort());
  for (const slug of SEED_SLUGS) {
    const a = await db
      .selectFrom("agencies")
      .select(["id", "name", "short_name"])
      .where("slug", "=", slug)
      .executeTakeFirstOrThrow();
    agencyIds.set(slug, { id: a.id, name: a.name, shortName: a.short_name });
  }
});

function agency(slug: string) {
  return agencyIds.get(slug) as { id: string; name: string; shortName: string };
}

/** What a round trip must keep: every field but ids, provenance and parsed rules. */
function comparable(items: CatalogNode[]): unknown[] {
  return items.map((i) => ({
    stableKey: i.stableKey,
    level: i.level,
    number: i.number,
    name: i.name,
    legalBasis: i.legalBasis,
    deadlineText: i.deadlineText,
    subject: i.subject,
    channels: i.channels,
    channelsOther: i.channelsOther,
    audience: i.audience,
    mode: i.mode,
    form: i.form,
    adminLevel: i.adminLevel,
    responsibleText: i.responsibleText,
    units: i.units.map((u) => `${u.role}:${u.name}`),
    remarks: i.remarks,
    extra: i.extra,
    elements: i.elements.map((e) => [e.stableKey, e.number, e.label, e.content, e.deadlineText]),
    children: comparable(i.children),
  }));
}

describe("seed catalogs", () => {
  for (const slug of SEED_SLUGS) {
    it(`${slug}: loaded as published version 1 with the JSON's counts`, async () => {
      const seed = loadSeedCatalog(slug);
      assert.ok(seed);
      const tree = await getPublishedCatalog(db, agency(slug).id);
      assert.ok(tree);
      assert.equal(tree.version.versionNo, 1);
      assert.equal(tree.version.status, "published");
      assert.equal(tree.version.publishedAt, NOW.toISOString());
      assert.equal(tree.version.title, seed.source.title);
      const byLevel = (l: number) => seed.items.filter((i: SeedItem) => i.level === l).length;
      assert.deepEqual(
        [tree.counts.level1, tree.counts.level2, tree.counts.level3],
        [byLevel(1), byLevel(2), byLevel(3)],
      );
      assert.equal(
        tree.counts.elements,
        seed.items.reduce((n: number, i: SeedItem) => n + i.elements.length, 0),
      );
      // Database rows, counted directly.
      const rows = await db
        .selectFrom("catalog_items")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("agency_id", "=", agency(slug).id)
        .where("version_id", "=", tree.version.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(rows.n), seed.items.length);
      // Every seed item, in order, with its deadline text, channels and legal basis.
      const flat = [...walkItems(tree.items)].map((w) => w.item);
      assert.deepEqual(
        flat.map((i) => i.name),
        seed.items.map((i: SeedItem) => i.name),
      );
      assert.deepEqual(
        flat.map((i) => i.deadlineText),
        seed.items.map((i: SeedItem) => i.deadlineText ?? null),
      );
      assert.deepEqual(
        flat.map((i) => i.legalBasis),
        seed.items.map((i: SeedItem) => i.legalBasis ?? []),
      );
      // Channels: the standard ones by their label, anything else kept as free text (「其他（X）」 gives both).
      assert.deepEqual(
        flat.map((i) => [...i.channels, ...i.channelsOther].sort()),
        seed.items.map((i: SeedItem) =>
          (i.channels ?? [])
            .flatMap((c) => {
              const n = normalizeChannel(c);
              return [n.channel, n.other].filter((x): x is string => x !== undefined);
            })
            .sort(),
        ),
      );
      // Responsible units link to the agency's departments (group designations stay in the text only).
      const linked = flat.reduce((n, i) => n + i.units.length, 0);
      const named = seed.items.reduce(
        (n: number, i: SeedItem) =>
          n +
          [...(i.responsible?.lead ?? []), ...(i.responsible?.cooperating ?? [])].filter((u) =>
            seed.agency.departments.some((d) => u === d || u.startsWith(`${d}等`)),
          ).length,
        0,
      );
      assert.equal(linked, named);
    });
  }

  it("zhongwei-hrss keeps the header data (填表人/复核人/审签人/填表时间, stated totals)", async () => {
    const tree = await getPublishedCatalog(db, agency("zhongwei-hrss").id);
    assert.deepEqual(
      {
        compiledBy: tree?.version.header.compiledBy,
        reviewedBy: tree?.version.header.reviewedBy,
        signedBy: tree?.version.header.signedBy,
        compiledAt: tree?.version.header.compiledAt,
        totals: tree?.version.header.statedTotals,
      },
      {
        compiledBy: "李永翔",
        reviewedBy: "刘文华",
        signedBy: "刘晓燕",
        compiledAt: "2022年12月18日",
        totals: { 一级事项: 6, 二级事项: 42, 依申请公开二级事项: 0 },
      },
    );
    // The stated totals match the loaded data.
    assert.equal(tree?.counts.level1, 6);
    assert.equal(tree?.counts.level2, 42);
  });

  it("seeding again changes nothing", async () => {
    const again = await seedDemoCatalogs({ db, clock, audit: dbDeps.audit });
    assert.deepEqual(again.created, []);
    assert.deepEqual(again.existing.sort(), [...SEED_SLUGS].sort());
    const versions = await db.selectFrom("catalog_versions").select("id").execute();
    assert.equal(versions.length, SEED_SLUGS.length);
  });

  it("parses deadlines of items and elements with the calendar's parser", async () => {
    const tree = await getPublishedCatalog(db, agency("qi-hrss").id);
    const item = [...walkItems(tree?.items ?? [])]
      .map((w) => w.item)
      .find((i) => i.name === "实行不定时工作制度和综合计算工时工作制审批");
    assert.ok(item);
    assert.deepEqual(item.deadlineUnparsed, []);
    assert.deepEqual(
      item.elements.map((e) => e.deadlineRules.map((r) => r.rule.kind)),
      [["realtime"], ["workingDaysFromDecision", "keepPublished"]],
    );
  });

  it("lists published items flat with stable keys for the publishing feature", async () => {
    const flat = await listPublishedItems(db, agency("zhongwei-hrss").id);
    assert.equal(flat.length, 48);
    assert.equal(flat[1]?.stableKey, "zhongwei-hrss:1.1");
    assert.deepEqual(flat[1]?.path, ["概况信息", "机构信息"]);
    assert.equal(flat[1]?.elements[0]?.stableKey, "zhongwei-hrss:1.1#1");
  });
});

describe("linter over the seed data", () => {
  it("reports the 21 and 22 working-day items of seed 000 (条例第26条)", async () => {
    const a = agency("qi-hrss");
    const { findings } = await lintCatalogVersion(db, {
      agencyId: a.id,
      agencyName: a.name,
      agencyShortName: a.shortName,
    });
    const over = findings.filter((f) => f.code === "deadline_exceeds_statutory");
    assert.deepEqual(
      over.map((f) => f.itemPath.join("/")),
      ["机关简介/内设机构", "机关简介/下属单位"],
    );
    assert.ok(over.every((f) => f.severity === "error" && f.article === "条例第26条"));
    assert.match(over[0]?.message ?? "", /21个工作日/);
    assert.match(over[1]?.message ?? "", /22个工作日/);
  });

  it("reports the typo 人力资源红和社会保障局 of seed 001", async () => {
    const a = agency("zalantun-hrss");
    const { findings } = await lintCatalogVersion(db, {
      agencyId: a.id,
      agencyName: a.name,
      agencyShortName: a.shortName,
    });
    const typo = findings.filter(
      (f) => f.code === "unit_name_inconsistent" && f.message.includes("人力资源红和社会保障局"),
    );
    assert.equal(typo.length, 1);
    assert.deepEqual(typo[0]?.itemPath, ["人大建议、政协提案办理情况"]);
    assert.match(typo[0]?.fix ?? "", /扎兰屯市人力资源和社会保障局/);
  });
});

describe("export → import round trip", () => {
  for (const slug of SEED_SLUGS)
    for (const format of EXPORT_FORMATS)
      it(`${slug} as ${format} comes back as the same catalog`, async () => {
        const a = agency(slug);
        const published = await getPublishedCatalog(db, a.id);
        assert.ok(published);
        const file = await exportCatalog(db, {
          agencyId: a.id,
          agencySlug: slug,
          agencyName: a.name,
          format,
        });
        const preview = await previewImport(db, {
          documents,
          agencyId: a.id,
          fileName: file.fileName,
          bytes: file.body,
          actor,
          now: NOW,
        });
        const version = await commitImport(dbDeps, {
          agencyId: a.id,
          importId: preview.importId,
          actor,
          now: NOW,
          replaceDraft: true,
        });
        assert.equal(version.status, "draft");
        const draft = await getCatalogVersion(db, a.id, version.id);
        assert.equal(draft.version.title, published.version.title);
        assert.deepEqual(draft.version.header, published.version.header);
        assert.deepEqual(comparable(draft.items), comparable(published.items));
        const { diff } = await diffVersions(db, a.id, published.version.id, version.id);
        assert.equal(diff.changes.length, 0);
      });
});

describe("governance: drafts, weakening needs a reason, history", () => {
  it("edits a draft copy, refuses to publish a weakening without a reason, then publishes", async () => {
    const a = agency("liaocheng-hrss");
    const draftInfo = await openDraft(dbDeps, { agencyId: a.id, actor, now: NOW });
    const draft = await getDraftCatalog(db, a.id);
    assert.ok(draft);
    assert.equal(draft.version.id, draftInfo.id);
    const items = [...walkItems(draft.items)].map((w) => w.item);
    const target = items.find((i) => i.name === "部门文件") as CatalogNode;
    // Weaken: 20 → 30 working days, and drop the 政府网站 channel.
    const fields = { ...inputFromItem(target), deadlineText: "30个工作日内发布", channels: [] as string[] };
    const saved = await updateItem(dbDeps, { agencyId: a.id, itemId: target.id, fields, actor });
    assert.deepEqual(saved.reading.unparsed, []);
    assert.match(saved.reading.described.join(""), /30个工作日/);
    assert.equal(saved.item.stableKey, target.stableKey);
    // Adding is free.
    await addItem(dbDeps, {
      agencyId: a.id,
      versionId: draft.version.id,
      parentId: null,
      fields: { ...inputFromItem(target), name: "新增事项", deadlineText: "实时公开" },
      actor,
    });
    // Removing needs a reason.
    const removed = items.find((i) => i.name === "政策库") as CatalogNode;
    await deleteItem(dbDeps, { agencyId: a.id, itemId: removed.id, actor });

    const { diff } = await diffVersions(db, a.id, null, draft.version.id);
    assert.equal(diff.added, 1);
    assert.equal(diff.removed, 1);
    const kinds = diff.needsReason.map((c) => [c.path.at(-1), c.weakenings.map((w) => w.kind).sort()]);
    assert.deepEqual(kinds.sort(), [
      ["政策库", ["removed"]],
      ["部门文件", ["channels_fewer", "deadline_longer"]],
    ]);

    await assert.rejects(
      publishVersion(dbDeps, { agencyId: a.id, versionId: draft.version.id, actor, now: NOW }),
      (e) =>
        isAppError(e) &&
        e.code === "catalog_reason_required" &&
        ((e.details?.changes ?? []) as unknown[]).length === 2,
    );
    await assert.rejects(
      publishVersion(dbDeps, {
        agencyId: a.id,
        versionId: draft.version.id,
        actor,
        now: NOW,
        reasons: { [target.stableKey]: "按上级要求调整" },
      }),
      (e) =>
        isAppError(e) &&
        e.code === "catalog_reason_required" &&
        ((e.details?.changes ?? []) as unknown[]).length === 1,
    );
    const result = await publishVersion(dbDeps, {
      agencyId: a.id,
      versionId: draft.version.id,
      actor,
      now: NOW,
      reasons: { [target.stableKey]: "按上级要求调整", [removed.stableKey]: "已并入规范性文件" },
    });
    assert.equal(result.version.status, "published");
    assert.equal(result.version.versionNo, 2);
    assert.deepEqual(
      Object.keys(result.version.changeReasons).sort(),
      [removed.stableKey, target.stableKey].sort(),
    );
    const versions = await listCatalogVersions(db, a.id);
    assert.deepEqual(
      versions.map((v) => [v.versionNo, v.status]),
      [
        [2, "published"],
        [1, "superseded"],
      ],
    );
    // The old version is kept unchanged (history).
    const old = await getCatalogVersion(db, a.id, versions[1]?.id as string);
    assert.ok([...walkItems(old.items)].some((w) => w.item.name === "政策库"));
    // Edits to a published version are refused.
    await assert.rejects(
      updateItem(dbDeps, { agencyId: a.id, itemId: saved.item.id, fields, actor }),
      (e) => isAppError(e) && e.code === "catalog_version_not_draft",
    );
    // Audit trail: the edits, the deletion and the publication.
    const events = await db
      .selectFrom("audit_events")
      .select(["action", "summary"])
      .where("scope_agency_id", "=", a.id)
      .execute();
    const actions = events.map((e) => e.action);
    assert.ok(actions.includes("catalog.publish"));
    assert.ok(actions.filter((x) => x === "catalog.edit").length >= 3);
  });
});
