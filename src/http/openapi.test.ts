/**
 * The OpenAPI document (/api/v1/openapi.json) is usable by client generators: the JSON API only, every operation
 * with a unique operationId, a summary, tags, a success schema and its documented error responses (codes of
 * src/errors.ts), servers from PUBLIC_URL — and `redocly lint` with the recommended rules (redocly.yaml) passes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createTestApp } from "../../test/test-app.ts";
import { ERROR_CODES, type ErrorCode } from "../errors.ts";
import { API_PREFIX, API_TAGS } from "./openapi.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
  "x-error-codes"?: ErrorCode[];
};
type Doc = {
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  tags: { name: string; description: string }[];
  components: { schemas: Record<string, unknown> };
};

function operations(doc: Doc): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ method, path: p, op })),
  );
}

describe("OpenAPI document", async () => {
  const { app } = await createTestApp({
    config: { publicUrl: "https://gk.example.gov.cn", publicUrlConfigured: true },
  });
  const res = await app.inject({ url: "/api/v1/openapi.json" });
  const doc = res.json() as Doc;
  const ops = operations(doc);

  it("describes the JSON API only: every /api/v1 route of the app, no HTML console or portal route", () => {
    assert.equal(res.statusCode, 200);
    const apiRoutes = app.routeTable
      .filter((r) => r.url.startsWith(API_PREFIX) && r.url !== "/api/v1/openapi.json" && r.method !== "HEAD")
      .map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, "{$1}")}`)
      .sort();
    const documented = ops.map((o) => `${o.method} ${o.path}`).sort();
    assert.deepEqual(documented, apiRoutes);
    assert.ok(ops.length >= 30, `${ops.length} operations`);
    for (const p of Object.keys(doc.paths)) assert.ok(p.startsWith(API_PREFIX), p);
  });

  it("gives every operation a unique operationId, a summary, known tags and a success schema", () => {
    const ids = new Set<string>();
    const tags = new Set<string>(Object.values(API_TAGS));
    for (const { method, path: p, op } of ops) {
      const where = `${method.toUpperCase()} ${p}`;
      assert.match(op.operationId ?? "", /^[a-z][A-Za-z0-9]+$/, `${where}: operationId`);
      assert.ok(!ids.has(op.operationId!), `${where}: duplicate operationId ${op.operationId}`);
      ids.add(op.operationId!);
      assert.ok((op.summary ?? "").length >= 4, `${where}: summary`);
      assert.ok(op.tags?.length, `${where}: tags`);
      for (const t of op.tags ?? []) assert.ok(tags.has(t), `${where}: unknown tag ${t}`);
      const success = Object.entries(op.responses).filter(([s]) => /^2/.test(s));
      assert.ok(success.length > 0, `${where}: no 2xx response`);
      for (const [status, r] of success)
        if (status !== "204")
          assert.ok(r.content && Object.keys(r.content).length, `${where}: ${status} content`);
    }
  });

  it("documents each operation's error responses with the error envelope and the codes of src/errors.ts", () => {
    const errorsMd = fs.readFileSync(path.join(root, "docs", "errors.md"), "utf8");
    for (const { method, path: p, op } of ops) {
      const where = `${method.toUpperCase()} ${p}`;
      const codes = op["x-error-codes"] ?? [];
      assert.ok(codes.includes("invalid_input") && codes.includes("internal_error"), where);
      const errorStatuses = Object.keys(op.responses).filter((s) => /^[45]/.test(s));
      assert.ok(
        errorStatuses.some((s) => s.startsWith("4")),
        `${where}: no 4xx response`,
      );
      for (const code of codes) {
        assert.ok(code in ERROR_CODES, `${where}: unknown code ${code}`);
        assert.ok(errorsMd.includes(`| \`${code}\` |`), `${where}: ${code} missing in docs/errors.md`);
        const r = op.responses[String(ERROR_CODES[code].status)];
        assert.ok(r, `${where}: no ${ERROR_CODES[code].status} response for ${code}`);
        assert.match(r.description, new RegExp(`\`${code}\``));
        assert.deepEqual(r.content?.["application/json"]?.schema, { $ref: "#/components/schemas/Error" });
      }
      // Every documented error status is backed by at least one code.
      for (const s of errorStatuses)
        assert.ok(
          codes.some((c) => String(ERROR_CODES[c].status) === s),
          `${where}: ${s} has no code`,
        );
      if (op.security?.length === 0) assert.ok(!codes.includes("unauthenticated"), `${where}: public`);
      else assert.ok(codes.includes("unauthenticated") && codes.includes("forbidden"), `${where}: staff`);
    }
    assert.ok(doc.components.schemas.Error, "Error schema");
  });

  it("takes servers from PUBLIC_URL, and names a relative server when PUBLIC_URL is not configured", async () => {
    assert.deepEqual(
      doc.servers.map((s) => s.url),
      ["https://gk.example.gov.cn"],
    );
    const { app: plain } = await createTestApp({ config: { publicUrlConfigured: false } });
    const other = (await plain.inject({ url: "/api/v1/openapi.json" })).json() as Doc;
    assert.deepEqual(
      other.servers.map((s) => s.url),
      ["/"],
    );
  });

  it("error responses are what the API really sends (the envelope of a 404 and of a validation error)", async () => {
    const missing = await app.inject({ url: "/api/v1/agencies/no-such-agency" });
    assert.equal(missing.statusCode, 404);
    const op = doc.paths["/api/v1/agencies/{slug}"]!.get!;
    assert.ok(op["x-error-codes"]?.includes(missing.json().error.code), missing.json().error.code);
    assert.deepEqual(Object.keys(missing.json().error).sort(), ["code", "message", "requestId"]);
  });

  it("passes `redocly lint` with the recommended rules, without warnings", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      fs.writeFileSync(file, res.body);
      const run = spawnSync(
        process.execPath,
        [
          path.join(root, "node_modules", "@redocly", "cli", "bin", "cli.js"),
          "lint",
          "--config",
          path.join(root, "redocly.yaml"),
          "--format",
          "json",
          file,
        ],
        {
          encoding: "utf8",
          timeout: 120_000,
          env: {
            ...process.env,
            REDOCLY_TELEMETRY: "off",
            REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
            CI: "true",
          },
        },
      );
      const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
      };
      const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
      assert.deepEqual(problems, [], run.stderr);
      assert.deepEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 });
      assert.equal(run.status, 0, run.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
