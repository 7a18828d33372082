/**
 * @module Runtime check: Gongkai needs Node.js >= 24.11 (TypeScript type stripping, node:test features).
 * `npm install` pins Node 26 as a devDependency, so npm scripts run on it even where the system Node is older.
 */

export const MIN_NODE = [24, 11] as const;

/** Returns an error message when the running Node is too old, otherwise undefined. */
export function unsupportedNodeMessage(version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return undefined;
  return (
    `Gongkai needs Node.js >= ${MIN_NODE.join(".")} but is running on ${version}. ` +
    "Run it through npm (`npm start`, `npm test`), which uses the Node 26 pinned in devDependencies, " +
    "or install Node 26 LTS."
  );
}

export function assertSupportedNode(): void {
  const message = unsupportedNodeMessage();
  if (message) {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
