/**
 * @module Where the generated keys live in the data directory (docs/operations.md, "Keys"): the cookie/CSRF secret
 * (from which the audit chain's key is derived unless GONGKAI_AUDIT_KEY is set) and the encryption key of
 * applicants' personal data and TOTP secrets. Both are created once with mode 0600 when not configured.
 */
export const SECRET_FILE = "secret.key";
export const ENCRYPTION_KEY_FILE = "encryption.key";
