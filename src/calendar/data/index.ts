// Reviewed holiday data, one file per year (see docs section "Working-day calendar data" in the helper report).
// Each file restates one State Council notice 国务院办公厅关于YYYY年部分节假日安排的通知 and any later amendment.
// To add a year: create data/YYYY.json in the same shape, import it here, run the calendar tests.

import type { YearFile } from "../types.ts";
import y2019 from "./2019.json" with { type: "json" };
import y2020 from "./2020.json" with { type: "json" };
import y2021 from "./2021.json" with { type: "json" };
import y2022 from "./2022.json" with { type: "json" };
import y2023 from "./2023.json" with { type: "json" };
import y2024 from "./2024.json" with { type: "json" };
import y2025 from "./2025.json" with { type: "json" };
import y2026 from "./2026.json" with { type: "json" };

export const OFFICIAL_YEAR_FILES: readonly YearFile[] = Object.freeze([
  y2019,
  y2020,
  y2021,
  y2022,
  y2023,
  y2024,
  y2025,
  y2026,
]);
