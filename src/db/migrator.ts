/**
 * @module Migrations: timestamp-named TypeScript files in ./migrations with up/down, applied in name order.
 */
import fs from "node:fs";
import path from "node:path";
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
} from "kysely";
import type { Database } from "./database.ts";

const MIGRATIONS_DIR = path.join(import.meta.dirname, "migrations");

class DirectoryMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{4}-\d{2}-\d{2}T\d{4}-[a-z0-9-]+\.ts$/.test(f))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const mod = (await import(path.join(MIGRATIONS_DIR, file))) as Migration;
      migrations[file.replace(/\.ts$/, "")] = mod;
    }
    return migrations;
  }
}

export function createMigrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db: db as unknown as Kysely<unknown>, provider: new DirectoryMigrationProvider() });
}

export interface MigrationReport {
  applied: string[];
  direction: "Up" | "Down";
}

function unwrap(result: MigrationResultSet, direction: "Up" | "Down"): MigrationReport {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? "?"} failed: ${reason}`, { cause: result.error });
  }
  return {
    direction,
    applied: (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationReport> {
  return unwrap(await createMigrator(db).migrateToLatest(), "Up");
}

export async function migrateDown(db: Kysely<Database>): Promise<MigrationReport> {
  return unwrap(await createMigrator(db).migrateDown(), "Down");
}

export async function migrationStatus(
  db: Kysely<Database>,
): Promise<{ name: string; executedAt: Date | null }[]> {
  const list = await createMigrator(db).getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}

/** Names of this program's migrations, oldest first (the schema versions it knows). */
export async function migrationNames(): Promise<string[]> {
  return Object.keys(await new DirectoryMigrationProvider().getMigrations()).sort();
}
