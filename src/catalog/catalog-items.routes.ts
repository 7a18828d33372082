/**
 * @module Editing the items of an agency's draft catalog on `staffRoute` (catalog.edit): the item form
 * (/admin/agencies/:agency/catalog/items/:itemId/edit), deleting an item, and adding one under a parent or as a 一级事项
 * (/catalog/versions/:versionId/items). After saving, the form shows the deadline parser's reading; a refused form
 * (400, 403) is shown again with what was typed.
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { pageContext } from "../http/context.ts";
import { bodyString, bodyStrings, type FieldErrors, toFieldErrors } from "../http/forms.ts";
import { type FormFailure, type StaffContext, staffRoute } from "../http/staff-route.ts";
import type { SafeHtml } from "../shared/html.ts";
import { walkItems } from "./catalog.model.ts";
import { catalogPath, itemFormPage } from "./catalog.views.ts";
import {
  addItem,
  deleteItem,
  type ITEM_FIELD_LIMITS,
  type ItemInput,
  type ItemSaveResult,
  inputFromItem,
  itemStamp,
  updateItem,
} from "./catalog-items.service.ts";
import {
  type CatalogNode,
  type CatalogTree,
  type CatalogVersionInfo,
  getCatalogVersion,
  getDraftCatalog,
  itemExists,
} from "./catalog-tree.service.ts";
import { showAgain, summaryOf } from "./catalog-versions.routes.ts";

type Ctx = StaffContext<undefined, unknown>;

function itemInput(body: unknown): ItemInput {
  // Read whole (the request body limit bounds them): itemFromInput refuses a value longer than ITEM_FIELD_LIMITS
  // with its length instead of cutting it.
  const text = (name: keyof typeof ITEM_FIELD_LIMITS, raw = false) => bodyString(body, name, 1_000_000, raw);
  return {
    number: text("number"),
    name: bodyString(body, "name", 600),
    contentText: text("contentText", true),
    legalBasisText: text("legalBasisText", true),
    deadlineText: text("deadlineText"),
    subject: text("subject"),
    channels: bodyStrings(body, "channels", 20),
    channelsOtherText: text("channelsOtherText", true),
    audience: text("audience"),
    mode: bodyString(body, "mode", 20),
    form: text("form"),
    adminLevel: text("adminLevel"),
    responsibleText: text("responsibleText"),
    remarks: text("remarks", true),
  };
}

const EMPTY_INPUT: ItemInput = {
  number: "",
  name: "",
  contentText: "",
  legalBasisText: "",
  deadlineText: "信息形成或者变更之日起20个工作日内",
  subject: "",
  channels: ["政府网站"],
  channelsOtherText: "",
  audience: "全社会",
  mode: "主动",
  form: "",
  adminLevel: "",
  responsibleText: "",
  remarks: "",
};

function findNode(tree: CatalogTree, id: string): CatalogNode | null {
  for (const { item } of walkItems(tree.items)) if (item.id === id) return item;
  return null;
}

export function catalogItemRoutes(app: FastifyInstance, deps: Deps): void {
  /** The draft and its item; an item of a published version (or an unknown id) cannot be edited. */
  async function itemInDraft(c: Ctx) {
    const itemId = c.params.itemId ?? "";
    const draft = await getDraftCatalog(deps.db, c.agency.id);
    const item = draft ? findNode(draft, itemId) : null;
    if (!draft || !item)
      throw new AppError(
        (await itemExists(deps.db, c.agency.id, itemId))
          ? "catalog_version_not_draft"
          : "catalog_item_not_found",
      );
    return { draft, item };
  }

  /** The draft version of the URL and the parent named by `?parent=` (none: a 一级事项). */
  async function draftAndParent(c: Ctx) {
    const tree = await getCatalogVersion(deps.db, c.agency.id, c.params.versionId ?? "");
    if (tree.version.status !== "draft") throw new AppError("catalog_version_not_draft");
    const parentId = typeof c.query.parent === "string" && c.query.parent !== "" ? c.query.parent : undefined;
    const parent = parentId ? findNode(tree, parentId) : null;
    if (parentId && !parent) throw new AppError("catalog_item_not_found");
    return { tree, parent };
  }

  /** The item form: editing `item` (null: adding under `parent`), with `values` and what to show above it. */
  type Shown = { errors: FieldErrors; message?: string | undefined; saved?: ItemSaveResult["reading"] };
  const formPage = (
    c: Ctx,
    where: { version: CatalogVersionInfo; item: CatalogNode | null; parent: CatalogNode | null },
    values: ItemInput,
    shown: Shown = { errors: {} },
  ): SafeHtml =>
    itemFormPage(pageContext(c.request), {
      agency: c.agency,
      ...where,
      values,
      ...shown,
      stamp: where.item ? itemStamp(where.item) : undefined,
    });
  /** After saving: the saved item with the deadline parser's reading. */
  const savedPage = (c: Ctx, version: CatalogVersionInfo, saved: ItemSaveResult): SafeHtml =>
    formPage(c, { version, item: saved.item, parent: null }, inputFromItem(saved.item), {
      errors: {},
      saved: saved.reading,
    });
  /** A refused form again, with what was typed. */
  const refusedPage = (
    c: Ctx,
    failure: FormFailure,
    where: () => Promise<{
      version: CatalogVersionInfo;
      item: CatalogNode | null;
      parent: CatalogNode | null;
    }>,
  ) =>
    showAgain(c, failure, async () =>
      formPage(c, await where(), itemInput(c.body), {
        errors: toFieldErrors(failure.errors),
        message: summaryOf(failure),
      }),
    );
  const itemWhere = async (c: Ctx) => {
    const { draft, item } = await itemInDraft(c);
    return { version: draft.version, item, parent: null };
  };
  const newWhere = async (c: Ctx) => {
    const { tree, parent } = await draftAndParent(c);
    return { version: tree.version, item: null, parent };
  };

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/items/:itemId/edit",
    policy: "catalog.edit",
    handle: async (c) => {
      const where = await itemWhere(c);
      return formPage(c, where, inputFromItem(where.item));
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/items/:itemId/edit",
    policy: "catalog.edit",
    input: (body) => itemInput(body),
    handle: async (c) => {
      const { draft, item } = await itemInDraft(c);
      const saved = await updateItem(deps, {
        agencyId: c.agency.id,
        itemId: item.id,
        fields: c.input,
        actor: c.actor,
        stamp: bodyString(c.body, "stamp", 64),
      });
      return savedPage(c, draft.version, saved);
    },
    form: (c, failure) => refusedPage(c, failure, () => itemWhere(c)),
    // Someone else saved this item after the form was opened: the form comes back with what was typed.
    formErrors: ["catalog_item_conflict"],
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/items/:itemId/delete",
    policy: "catalog.edit",
    handle: async (c) => {
      const { draft, item } = await itemInDraft(c);
      await deleteItem(deps, { agencyId: c.agency.id, itemId: item.id, actor: c.actor });
      return { redirect: catalogPath(c.agency.slug, `/versions/${draft.version.id}?done=deleted`) };
    },
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/versions/:versionId/items/new",
    policy: "catalog.edit",
    handle: async (c) => formPage(c, await newWhere(c), { ...EMPTY_INPUT, subject: c.agency.name }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/versions/:versionId/items",
    policy: "catalog.edit",
    input: (body) => itemInput(body),
    handle: async (c) => {
      const { tree, parent } = await draftAndParent(c);
      const saved = await addItem(deps, {
        agencyId: c.agency.id,
        versionId: tree.version.id,
        parentId: parent?.id ?? null,
        fields: c.input,
        actor: c.actor,
      });
      return savedPage(c, tree.version, saved);
    },
    form: (c, failure) => refusedPage(c, failure, () => newWhere(c)),
  });
}
