/**
 * @module Configuration: the only reader of process.env. Parsed and validated once; returns a frozen object or
 * throws ConfigError listing every problem at once.
 */
import net from "node:net";
import path from "node:path";

export interface Config {
  /** HTTP listen address. */
  host: string;
  port: number;
  /** Public base URL used in feeds, sitemaps and notices (no trailing slash). */
  publicUrl: string;
  /** PUBLIC_URL was set (else publicUrl is the listen address; the OpenAPI document then names a relative server). */
  publicUrlConfigured: boolean;
  /** External PostgreSQL (15+). When absent the embedded server is used. */
  databaseUrl: string | undefined;
  /**
   * A PostgreSQL streaming replica (hot standby) of the primary: public pages, public search and the open-data API
   * read from it (src/db/read-pool.ts). Absent: they read the primary.
   */
  databaseReadUrl: string | undefined;
  /**
   * STATIC_PAGES_DIR: absolute directory where cached anonymous HTML pages are mirrored as files for nginx to serve
   * (src/http/page-mirror.ts, `gongkai pages nginx-config`). Absent: off.
   */
  staticPagesDir: string | undefined;
  /** Root of local state: embedded PostgreSQL cluster, uploads, generated secrets. */
  dataDir: string;
  /** Embedded PostgreSQL: cluster directory and port. */
  pgDataDir: string;
  pgPort: number;
  /** GONGKAI_PG_SHARED_BUFFERS_MB: the embedded server's shared_buffers; absent: 40 % of memory (embedded.ts defaultSharedBuffersMb), 128 MB–8 GB. */
  pgSharedBuffersMb: number | undefined;
  /** GONGKAI_PG_IO_WORKERS: the embedded server's io_workers; absent: 1 on two cores or fewer, else PostgreSQL's 3. */
  pgIoWorkers: number | undefined;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /**
   * Request log lines ("request completed"): off, a sample (every 1/rate-th request), or all. Responses with a
   * status ≥ 500 are always logged (src/http/request-log.ts).
   */
  logRequests: "off" | "sample" | "all";
  /** LOG_REQUESTS=sample: the share of requests logged (0 < rate ≤ 1). */
  logRequestSampleRate: number;
  /** Create the four seed agencies (and later their demo data) at start-up when missing. */
  seedDemo: boolean;
  /** Secret for cookie signing and CSRF; generated under dataDir when not configured. */
  secret: string | undefined;
  /** 32-byte key (hex or base64) encrypting applicants' personal data at rest. */
  encryptionKey: string | undefined;
  /**
   * Key of the audit log's HMAC chain (≥ 32 characters, used as-is as the HMAC key). When absent the key is derived
   * from `secret` with HKDF (label "gongkai-audit-chain"). Never stored in the database.
   */
  auditKey: string | undefined;
  sessionIdleMinutes: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Account lock only after this many failures in 24 h … */
  loginAccountLockFailures: number;
  /** … from at least this many client addresses. */
  loginAccountLockAddresses: number;
  /** Cookies marked Secure (default: true when publicUrl is https). */
  cookieSecure: boolean;
  /** Optional SMTP server for e-mail notifications, `smtp://user:pass@host:port`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /**
   * Optional SMS gateway for applicant notifications: the URL receives `POST {"to","text"}` (JSON) with
   * `Authorization: Bearer SMS_GATEWAY_TOKEN` when a token is set. Unset: no SMS.
   */
  smsGatewayUrl: string | undefined;
  smsGatewayToken: string | undefined;
  /** Maximum upload size in bytes. */
  maxUploadBytes: number;
  /** Run background jobs in this process (GONGKAI_JOBS; the queue itself is shared through the database). */
  jobs: boolean;
  /** The link-check job may request private/loopback addresses (intranet portals, tests). */
  linkCheckAllowPrivate: boolean;
  /** Bearer token for /metrics from other hosts (loopback may always read it); unset = loopback only. */
  metricsToken: string | undefined;
  /**
   * Reverse proxies whose X-Forwarded-For is believed (Fastify `trustProxy`): false (none, the default), a hop
   * count, or proxy addresses / CIDR ranges. Rate limits and audit IPs use the client address it yields.
   */
  trustProxy: false | number | string[];
  /** Parser worker threads for untrusted documents (src/documents/). */
  documentWorkers: number;
  /** Wall time of one document parse before its worker is killed (ms). */
  documentTimeoutMs: number;
  /** Heap (old generation) of one parser worker (MB). */
  documentHeapMb: number;
  /** Total uncompressed size allowed inside one .docx/.xlsx (bytes). */
  documentMaxUncompressedBytes: number;
  /**
   * How long a CLI command's statement waits for a lock another session holds before it gives up (ms; PostgreSQL's
   * `lock_timeout`; 0 = no limit). Not for `gongkai serve`, nor `dev generate` (which waits for another load).
   */
  cliLockTimeoutMs: number;
  isProduction: boolean;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`配置有误 (invalid configuration):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

type Env = Record<string, string | undefined>;

/** Reads and validates configuration from an environment (defaults to process.env). */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Readonly<Config> {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const value = env[name];
    if (value === undefined || value === "") return fallback;
    if (!/^\d+$/.test(value.trim())) {
      problems.push(`${name} must be a whole number, got "${value}"`);
      return fallback;
    }
    const n = Number(value);
    if (n < min || n > max) problems.push(`${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const value = env[name]?.trim().toLowerCase();
    if (value === undefined || value === "") return fallback;
    if (["1", "true", "yes", "on"].includes(value)) return true;
    if (["0", "false", "no", "off"].includes(value)) return false;
    problems.push(`${name} must be true or false, got "${env[name]}"`);
    return fallback;
  };

  const port = int("PORT", 3000, 0, 65535);
  const host = env.HOST?.trim() || "127.0.0.1";
  const pgPort = int("GONGKAI_PG_PORT", 54329, 1024, 65535);
  const pgSharedBuffersMb = env.GONGKAI_PG_SHARED_BUFFERS_MB?.trim()
    ? int("GONGKAI_PG_SHARED_BUFFERS_MB", 128, 16, 1_048_576)
    : undefined;
  const pgIoWorkers = env.GONGKAI_PG_IO_WORKERS?.trim() ? int("GONGKAI_PG_IO_WORKERS", 3, 1, 32) : undefined;

  const postgresUrl = (name: string): string | undefined => {
    const value = env[name]?.trim() || undefined;
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
        problems.push(`${name} must start with postgres:// or postgresql://, got "${url.protocol}"`);
      }
    } catch {
      problems.push(`${name} is not a valid URL (expected postgres://user:password@host:5432/dbname)`);
    }
    return value;
  };
  const databaseUrl = postgresUrl("DATABASE_URL");
  const databaseReadUrl = postgresUrl("DATABASE_READ_URL");

  const staticPagesDir = env.STATIC_PAGES_DIR?.trim() || undefined;
  if (
    staticPagesDir !== undefined &&
    (!path.isAbsolute(staticPagesDir) || path.normalize(staticPagesDir) === "/")
  )
    problems.push(
      `STATIC_PAGES_DIR must be an absolute directory other than / (e.g. /var/lib/gongkai/pages), got "${staticPagesDir}"`,
    );

  const dataDir = path.resolve(cwd, env.GONGKAI_DATA_DIR?.trim() || "data");
  const pgDataDir = path.resolve(dataDir, env.GONGKAI_PG_DIR?.trim() || "pg");

  const logLevelRaw = env.LOG_LEVEL?.trim() || "info";
  let logLevel: Config["logLevel"] = "info";
  if ((LOG_LEVELS as readonly string[]).includes(logLevelRaw)) logLevel = logLevelRaw as Config["logLevel"];
  else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logLevelRaw}"`);

  const logRequestsRaw = env.LOG_REQUESTS?.trim().toLowerCase() || "sample";
  let logRequests: Config["logRequests"] = "sample";
  if (logRequestsRaw === "off" || logRequestsRaw === "sample" || logRequestsRaw === "all")
    logRequests = logRequestsRaw;
  else problems.push(`LOG_REQUESTS must be off, sample or all, got "${env.LOG_REQUESTS}"`);
  const rateRaw = env.LOG_REQUEST_SAMPLE_RATE?.trim() || "0.01";
  const logRequestSampleRate = Number(rateRaw);
  if (!/^\d*\.?\d+$/.test(rateRaw) || !(logRequestSampleRate > 0 && logRequestSampleRate <= 1))
    problems.push(`LOG_REQUEST_SAMPLE_RATE must be a number above 0 and at most 1, got "${rateRaw}"`);

  let publicUrl = env.PUBLIC_URL?.trim() || `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") problems.push("PUBLIC_URL must be http(s)");
    publicUrl = publicUrl.replace(/\/+$/, "");
  } catch {
    problems.push(`PUBLIC_URL is not a valid URL: "${publicUrl}"`);
  }

  const secret = env.GONGKAI_SECRET?.trim() || undefined;
  if (secret !== undefined && secret.length < 32)
    problems.push("GONGKAI_SECRET must be at least 32 characters");

  const encryptionKey = env.GONGKAI_ENCRYPTION_KEY?.trim() || undefined;
  if (encryptionKey !== undefined && !isValidKey(encryptionKey)) {
    problems.push("GONGKAI_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64");
  }

  const auditKey = env.GONGKAI_AUDIT_KEY?.trim() || undefined;
  if (auditKey !== undefined && auditKey.length < 32)
    problems.push("GONGKAI_AUDIT_KEY must be at least 32 characters");

  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl))
    problems.push("SMTP_URL must start with smtp:// or smtps://");

  const smsGatewayUrl = env.SMS_GATEWAY_URL?.trim() || undefined;
  if (smsGatewayUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(smsGatewayUrl))
    problems.push("SMS_GATEWAY_URL must start with http:// or https://");

  const metricsToken = env.METRICS_TOKEN?.trim() || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16)
    problems.push("METRICS_TOKEN must be at least 16 characters");
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);

  const isProduction = env.NODE_ENV === "production";
  const config: Config = {
    host,
    port,
    publicUrl,
    publicUrlConfigured: Boolean(env.PUBLIC_URL?.trim()),
    databaseUrl,
    databaseReadUrl,
    staticPagesDir:
      staticPagesDir !== undefined && path.isAbsolute(staticPagesDir)
        ? path.normalize(staticPagesDir).replace(/\/+$/, "")
        : undefined,
    dataDir,
    pgDataDir,
    pgPort,
    pgSharedBuffersMb,
    pgIoWorkers,
    logLevel,
    logRequests,
    logRequestSampleRate: logRequestSampleRate > 0 && logRequestSampleRate <= 1 ? logRequestSampleRate : 0.01,
    seedDemo: bool("GONGKAI_SEED_DEMO", true),
    secret,
    encryptionKey,
    auditKey,
    sessionIdleMinutes: int("SESSION_IDLE_MINUTES", 30, 1, 24 * 60),
    loginMaxFailures: int("LOGIN_MAX_FAILURES", 5, 1, 100),
    loginLockMinutes: int("LOGIN_LOCK_MINUTES", 15, 1, 24 * 60),
    loginAccountLockFailures: int("LOGIN_ACCOUNT_LOCK_FAILURES", 50, 2, 100_000),
    loginAccountLockAddresses: int("LOGIN_ACCOUNT_LOCK_ADDRESSES", 5, 1, 1000),
    cookieSecure: bool("COOKIE_SECURE", publicUrl.startsWith("https:")),
    smtpUrl,
    mailFrom: env.MAIL_FROM?.trim() || "gongkai@localhost",
    smsGatewayUrl,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN?.trim() || undefined,
    maxUploadBytes: int("MAX_UPLOAD_MB", 20, 1, 1024) * 1024 * 1024,
    jobs: bool("GONGKAI_JOBS", true),
    linkCheckAllowPrivate: bool("LINK_CHECK_ALLOW_PRIVATE", false),
    metricsToken,
    trustProxy,
    documentWorkers: int("DOCUMENT_WORKERS", 2, 1, 16),
    documentTimeoutMs: int("DOCUMENT_TIMEOUT_SECONDS", 20, 1, 600) * 1000,
    documentHeapMb: int("DOCUMENT_HEAP_MB", 256, 32, 4096),
    documentMaxUncompressedBytes: int("DOCUMENT_MAX_UNCOMPRESSED_MB", 100, 1, 4096) * 1024 * 1024,
    cliLockTimeoutMs: int("GONGKAI_CLI_LOCK_TIMEOUT_SECONDS", 30, 0, 86_400) * 1000,
    isProduction,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * TRUST_PROXY: "off" (default) | a hop count 1–10 | comma-separated proxy addresses or CIDR ranges
 * ("127.0.0.1", "10.0.0.0/8, ::1"). "true"/"all" is refused: it would let any client forge its address.
 */
export function parseTrustProxy(raw: string | undefined, problems: string[]): false | number | string[] {
  const value = raw?.trim() ?? "";
  if (value === "" || ["off", "false", "0", "no"].includes(value.toLowerCase())) return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops >= 1 && hops <= 10) return hops;
    problems.push(`TRUST_PROXY hop count must be between 1 and 10, got ${hops}`);
    return false;
  }
  if (["true", "on", "all", "yes", "*"].includes(value.toLowerCase())) {
    problems.push(
      'TRUST_PROXY=true would believe X-Forwarded-For from anyone: give the proxy addresses (e.g. "127.0.0.1") or a hop count',
    );
    return false;
  }
  const list = value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = list.filter((v) => !isAddressOrCidr(v));
  if (bad.length > 0) {
    problems.push(
      `TRUST_PROXY must be off, a hop count, or IP addresses / CIDR ranges; not: ${bad.join(", ")}`,
    );
    return false;
  }
  return list;
}

function isAddressOrCidr(v: string): boolean {
  const [addr, bits, ...rest] = v.split("/");
  if (rest.length > 0 || !addr) return false;
  const family = net.isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function isValidKey(key: string): boolean {
  if (/^[0-9a-fA-F]{64}$/.test(key)) return true;
  try {
    return Buffer.from(key, "base64").length === 32;
  } catch {
    return false;
  }
}
