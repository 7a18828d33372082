/**
 * @module The 政策解读 picker's server side: GET /admin/agencies/:agency/records/interpretation-options?q=…&exclude=…
 * (JSON for /static/interpretation-picker.js: at most PICKER_LIMIT published documents, titles and numbers only),
 * and for the record form without JavaScript whether a POST is a 查找 (`pickerSearchRequested`) and the picker's
 * fieldset for a form shown again (`renderPicker`).
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { bodyString, bodyStrings } from "../http/forms.ts";
import { staffRoute } from "../http/staff-route.ts";
import type { SafeHtml } from "../shared/html.ts";
import { isUuid } from "../shared/ids.ts";
import {
  interpretableDocumentsByIds,
  PICKER_QUERY_MAX,
  type PickerResult,
  searchInterpretableDocuments,
} from "./interpretation-picker.read.ts";
import { interpretationPicker, PICKER_FIELDS } from "./interpretation-picker.views.ts";

/**
 * Whether a POST of the record form asks for a search rather than a save: the 查找 button, or Enter in the search
 * field after changing its text (the browser then submits with the form's first button; the page remembers which
 * query it shows). The script removes the field's name, so an enhanced form never searches by POST.
 */
export function pickerSearchRequested(body: unknown): boolean {
  if (bodyString(body, PICKER_FIELDS.search, 5) === "1") return true;
  const query = bodyString(body, PICKER_FIELDS.query, PICKER_QUERY_MAX).trim();
  return query !== "" && query !== bodyString(body, PICKER_FIELDS.shown, PICKER_QUERY_MAX).trim();
}

/**
 * The picker fieldset: the chosen documents (titles read back; ids of unpublished or foreign records are dropped)
 * and, for a 查找, the matches of the typed query.
 */
export async function renderPicker(
  deps: Deps,
  agency: { id: string; slug: string },
  m: {
    recordId?: string | undefined;
    chosenIds: readonly string[];
    body?: unknown;
    search?: boolean;
    error?: string | undefined;
  },
): Promise<SafeHtml> {
  const query = m.body ? bodyString(m.body, PICKER_FIELDS.query, PICKER_QUERY_MAX).trim() : "";
  const chosen = await interpretableDocumentsByIds(deps.db, agency.id, m.chosenIds);
  let results: PickerResult | null = null;
  if (m.search) {
    const exclude = [...chosen.map((d) => d.id), ...(m.recordId ? [m.recordId] : [])];
    results = await searchInterpretableDocuments(deps.db, agency.id, query, exclude);
  }
  return interpretationPicker({
    agencySlug: agency.slug,
    recordId: m.recordId,
    chosen,
    query,
    results,
    error: m.error,
  });
}

export function interpretationPickerRoutes(app: FastifyInstance, deps: Deps): void {
  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/records/interpretation-options",
    policy: "record.draft",
    handle: async (c) => {
      const q = typeof c.query.q === "string" ? c.query.q.slice(0, PICKER_QUERY_MAX) : "";
      const exclude = bodyStrings(c.query, "exclude", 25).filter(isUuid);
      const result = await searchInterpretableDocuments(deps.db, c.agency.id, q, exclude);
      c.reply.header("cache-control", "private, no-store");
      return result;
    },
  });
}
