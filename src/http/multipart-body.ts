/**
 * @module Multipart forms parsed as a body (like url-encoded forms), so the CSRF check (src/http/csrf.ts, which
 * runs before validation) finds the token in the form field `_csrf` — never in the URL. Registered per scope on
 * the upload routes that use it: a content-type parser for `multipart/form-data` that reads the fields into
 * `body[name]` (strings) and the files into `body.files` (`{ field, fileName, data }`), with limits on the number
 * and size of files and fields. Oversized files are `payload_too_large` (413), malformed bodies `bad_request`.
 * Such routes declare `config: { csrfFieldOnly: true }`: csrf.ts checks the parsed `_csrf` field at once.
 *
 *   await app.register(async (scope) => {
 *     registerMultipartBody(scope, { maxFileBytes: deps.config.maxUploadBytes, maxFiles: 5 });
 *     scope.post("/x", { config: { policy, csrfFieldOnly: true } }, (request) => multipartFiles(request.body));
 *   });
 */
import { Busboy } from "@fastify/busboy";
import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.ts";

export interface UploadedPart {
  field: string;
  fileName: string;
  data: Buffer;
}

export interface MultipartLimits {
  maxFileBytes: number;
  maxFiles: number;
  /** Form fields (default 20) and their size (default 20 000 bytes). */
  maxFields?: number;
  maxFieldBytes?: number;
}

export function registerMultipartBody(scope: FastifyInstance, limits: MultipartLimits): void {
  scope.addContentTypeParser("multipart/form-data", (request, payload, done) => {
    const body: Record<string, unknown> = {};
    const files: UploadedPart[] = [];
    let failed: AppError | undefined;
    let pending = 0;
    let finished = false;
    let settled = false;
    const fail = (e: AppError) => {
      failed ??= e;
    };
    const settle = () => {
      if (settled || !finished || pending > 0) return;
      settled = true;
      if (failed) done(failed, undefined);
      else done(null, { ...body, files });
    };
    let boy: InstanceType<typeof Busboy>;
    try {
      boy = new Busboy({
        headers: request.headers as { "content-type": string },
        limits: {
          fileSize: limits.maxFileBytes,
          files: limits.maxFiles,
          fields: limits.maxFields ?? 20,
          fieldSize: limits.maxFieldBytes ?? 20_000,
          parts: limits.maxFiles + (limits.maxFields ?? 20),
        },
      });
    } catch {
      done(new AppError("bad_request", "上传的表单格式不正确。"), undefined);
      return;
    }
    boy.on("field", (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
      if (valueTruncated) fail(new AppError("payload_too_large", "表单内容过长。"));
      else if (name !== "files" && !Object.hasOwn(body, name)) body[name] = value;
    });
    boy.on(
      "file",
      (field: string, stream: NodeJS.ReadableStream & { truncated?: boolean }, fileName: string) => {
        const chunks: Buffer[] = [];
        pending++;
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        // A truncated body ends the part with an error: answer at once (a 400, never an uncaught exception).
        stream.on("error", () => {
          fail(new AppError("bad_request", "上传的表单不完整或格式不正确。"));
          finished = true;
          pending = 0;
          settle();
        });
        stream.on("limit", () =>
          fail(
            new AppError(
              "payload_too_large",
              `文件过大（上限 ${Math.floor(limits.maxFileBytes / 1024 / 1024)} MB）。`,
            ),
          ),
        );
        stream.on("end", () => {
          pending--;
          const data = Buffer.concat(chunks);
          // An empty file input is sent as a part without name and bytes: nothing was chosen.
          if (fileName || data.length > 0) files.push({ field, fileName: fileName || "file", data });
          settle();
        });
      },
    );
    boy.on("filesLimit", () =>
      fail(new AppError("payload_too_large", `一次最多上传${limits.maxFiles}个文件。`)),
    );
    boy.on("fieldsLimit", () => fail(new AppError("payload_too_large", "表单字段过多。")));
    boy.on("partsLimit", () => fail(new AppError("payload_too_large", "表单内容过多。")));
    boy.on("error", () => {
      fail(new AppError("bad_request", "上传的表单不完整或格式不正确。"));
      finished = true;
      pending = 0;
      settle();
    });
    boy.on("finish", () => {
      finished = true;
      settle();
    });
    payload.pipe(boy);
  });
}

/** The files of a body parsed by registerMultipartBody (none for any other body). */
export function multipartFiles(body: unknown): UploadedPart[] {
  const files = (body as { files?: unknown } | null)?.files;
  return Array.isArray(files) ? (files as UploadedPart[]) : [];
}
