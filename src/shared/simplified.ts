/**
 * @module Traditional Chinese characters to simplified, for what citizens type into the portal's search (records of
 * mainland agencies are written in simplified characters). Query side only: stored text and its search codes are
 * never converted.
 *
 * The conversion is opencc-js (the JavaScript port of Open Chinese Convert; code MIT, dictionaries Apache-2.0 from
 * OpenCC's data), OpenCC's standard traditional → mainland simplified: its phrase table first (TSPhrases: 乾隆 stays,
 * 乾燥 → 干燥; 著作 stays), then its character table (TSCharacters). Regional phrase substitution (OpenCC's `twp`:
 * Taiwan words replaced by mainland words) is deliberately not used: it also rewrote text that is already simplified
 * (影片 → 视频) and government terms (執行 → 运行). Simplified text comes back unchanged (table-tested on field
 * vocabulary), so `toSimplified(q) !== q` tells that a query held traditional characters.
 *
 * Built once at load (~70 ms, ~10 MB: the two tables as a trie); a constant, called as a pure function.
 */
import { Converter } from "opencc-js/t2cn";

const traditionalToSimplified = Converter({ from: "t", to: "cn" });

/** The text with its traditional characters (and OpenCC's traditional phrases) in mainland simplified form. */
export function toSimplified(text: string): string {
  // Pure ASCII (索引号, numbers, Latin words) never changes: skip the trie.
  return /[\u0080-\uffff]/.test(text) ? traditionalToSimplified(text) : text;
}

/**
 * Character for character, for recognising the words of disclosure tables served in 繁体 (catalog headings, channels,
 * deadline wording, report labels: 公開時限, 政府網站, 信息形成或者變更之日起20個工作日內). The result has the same length
 * and every character stays in place, so a match's position holds in the text as written; only recognition uses
 * it, the text an agency wrote is kept as written. Each CJK character goes through OpenCC's conversion alone (its
 * character table), and a character whose conversion is not one character stays as it is.
 */
export function toSimplifiedCharacters(text: string): string {
  return text.replace(/[\u3400-\u9fff\uf900-\ufaff]/g, (c: string): string => {
    const converted = traditionalToSimplified(c);
    return converted.length === c.length ? converted : c;
  });
}
