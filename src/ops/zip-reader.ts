/**
 * @module Reading a zip archive (yauzl) by entry name: the entries are listed once from the central directory,
 * then each is opened as a stream (CRC and sizes checked by yauzl) as often as needed.
 */
import type { Readable } from "node:stream";
import yauzl from "yauzl";

export interface ZipReader {
  names(): string[];
  has(name: string): boolean;
  open(name: string): Promise<Readable>;
  readText(name: string): Promise<string>;
  close(): void;
}

export async function openZip(file: string): Promise<ZipReader> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (e, z) =>
      e ? reject(e) : resolve(z),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once("end", resolve);
    zip.once("error", reject);
    zip.readEntry();
  });
  const open = (name: string): Promise<Readable> => {
    const entry = entries.get(name);
    if (!entry) return Promise.reject(new Error(`${name} is not in the archive`));
    return new Promise((resolve, reject) =>
      zip.openReadStream(entry, (e, s) => (e ? reject(e) : resolve(s))),
    );
  };
  return {
    names: () => [...entries.keys()],
    has: (name) => entries.has(name),
    open,
    async readText(name) {
      const chunks: Buffer[] = [];
      for await (const chunk of await open(name)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    close: () => zip.close(),
  };
}
