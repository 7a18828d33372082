/**
 * @module The four seed agencies the project was created from, under their regions. Later features (catalogs,
 * records, applications) rely on these slugs. Departments come from each seed catalog's responsible-unit column.
 */
import type { RegionLevel } from "./agency.table.ts";

export interface DemoAgency {
  slug: string;
  name: string;
  shortName: string;
  /** Region path from province down, with levels. */
  regions: { name: string; level: RegionLevel; code?: string }[];
  /** Source seed file in src/catalog/seeds/sources. */
  seed: string;
}

export const DEMO_AGENCIES: readonly DemoAgency[] = [
  {
    slug: "qi-hrss",
    name: "旗人力资源和社会保障局",
    shortName: "旗人社局",
    // Seed 000 names only "旗人社局" and "旗政府门户网站": a banner (旗) of Inner Mongolia, not named in the source.
    regions: [
      { name: "内蒙古自治区", level: "province", code: "150000" },
      { name: "旗（来源目录未载明旗名）", level: "county" },
    ],
    seed: "000_bef1da7e88e5459b.txt",
  },
  {
    slug: "zalantun-hrss",
    name: "扎兰屯市人力资源和社会保障局",
    shortName: "扎兰屯市人社局",
    regions: [
      { name: "内蒙古自治区", level: "province", code: "150000" },
      { name: "呼伦贝尔市", level: "city", code: "150700" },
      { name: "扎兰屯市", level: "county", code: "150783" },
    ],
    seed: "001_c1b27d8b56ec724c.txt",
  },
  {
    slug: "liaocheng-hrss",
    name: "聊城市人力资源和社会保障局",
    shortName: "聊城市人社局",
    regions: [
      { name: "山东省", level: "province", code: "370000" },
      { name: "聊城市", level: "city", code: "371500" },
    ],
    seed: "002_ac0317157f4b1045.txt",
  },
  {
    slug: "zhongwei-hrss",
    name: "中卫市人力资源和社会保障局",
    shortName: "中卫市人社局",
    regions: [
      { name: "宁夏回族自治区", level: "province", code: "640000" },
      { name: "中卫市", level: "city", code: "640500" },
    ],
    seed: "004_9b865dbe70e49eb4.txt",
  },
];
