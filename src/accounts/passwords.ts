/**
 * @module Password hashing: argon2id with the OWASP-recommended minimum parameters (19 MiB, 2 passes, 1 lane).
 * The parameters are stored in each PHC hash string, so raising them later re-hashes on next sign-in.
 */
import { randomBytes } from "node:crypto";
import argon2 from "argon2";

export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, ARGON2_OPTIONS);
}

/**
 * The hash of a random password nobody knows, made with ARGON2_OPTIONS (a test checks that the parameters still
 * match): a constant, so no process state is needed to spend the time of a real check.
 */
export const DUMMY_HASH =
  "$argon2id$v=19$m=19456,p=1,t=2$4OlL2O2gIXo6QDx3LyqAAA$ivetK2nc2FuNQ3aBB2+41x9TE+lqq9uoEckD0/nTrgw";

/** Spends the same time as a real check when the account does not exist (no user enumeration by timing). */
export async function verifyDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}

/** A random one-time password that satisfies the policy (shown once, to be changed at first sign-in). */
export function generateOneTimePassword(): string {
  // 16 characters from an unambiguous alphabet with all four classes guaranteed.
  const lower = "abcdefghijkmnpqrstuvwxyz";
  const upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  const digits = "23456789";
  const symbols = "-_.+!";
  const all = lower + upper + digits + symbols;
  const bytes = randomBytes(16);
  const pick = (set: string, b: number) => set[b % set.length] as string;
  const chars = [
    pick(lower, bytes[0] as number),
    pick(upper, bytes[1] as number),
    pick(digits, bytes[2] as number),
    pick(symbols, bytes[3] as number),
  ];
  for (let i = 4; i < 16; i++) chars.push(pick(all, bytes[i] as number));
  // Shuffle (Fisher–Yates with fresh random bytes).
  const shuffle = randomBytes(16);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = (shuffle[i] as number) % (i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join("");
}
