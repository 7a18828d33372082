// Preloaded with `node --import ./bin/node-check.js …` so an unsupported Node fails with a clear message before
// any TypeScript is loaded (Node < 22.18 cannot even read .ts files). Plain JavaScript on purpose.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 24 || (major === 24 && minor < 11)) {
  process.stderr.write(
    `Gongkai needs Node.js >= 24.11 but is running on ${process.versions.node}. ` +
      "Run it through npm (`npm start`, `npm test`), which uses the Node 26 pinned in devDependencies, or install Node 26 LTS.\n",
  );
  process.exit(1);
}
