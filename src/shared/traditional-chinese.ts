/**
 * @module Traditional characters → simplified, for the words of government-disclosure tables (catalog headings,
 * channels, deadline wording). Portals serve pages in 繁体 on request (and mirrors store that rendering), so a catalog
 * or deadline cell may arrive as 公開時限 / 政府網站 / 信息形成或者變更之日起20個工作日內. Only recognition uses this:
 * the text an agency wrote is kept as written. Pure; character for character (never a word change), holding only
 * characters whose simplified form is unambiguous.
 */

/** Pairs of characters: traditional, then simplified. */
const PAIRS =
  "變变個个內内開开產产時时實实長长發发規规審审準准後后從从與与關关聯联範范將将週周決决復复過过應应當当態态請请" +
  "辦办結结歲岁預预進进況况報报會会議议條条種种數数據据處处罰罚續续類类佈布並并於于爲为為为須须嚴严獲获該该對对" +
  "頒颁確确經经財财門门級级機机項项資资補补貼贴調调記记單单統统組组織织區区縣县鄉乡鎮镇僅仅隨随號号體体載载層层" +
  "責责務务眾众衆众構构別别稱称備备註注導导動动負负協协牽牵頭头圍围現现場场錄录網网紙纸電电視视廣广兩两戶户欄栏" +
  "聽听證证閱阅點点熱热線线業业總总計计頁页舉举權权訊讯則则標标歷历問问題题義义醫医療疗衛卫險险養养職职勞劳費费" +
  "稅税徵征價价營营員员選选聞闻輯辑庫库屬属擔担這这鄰邻達达監监託托賬账貧贫濟济災灾殘残獎奖勵励傷伤禮礼樂乐藝艺" +
  "語语認认識识訂订測测試试驗验轉转繼继穩稳護护執执詢询無无沒没製制訪访訴诉訟讼複复繳缴維维糾纠廢废許许強强萬万" +
  "額额橋桥東东陽阳";

const TO_SIMPLIFIED: ReadonlyMap<string, string> = new Map(
  (PAIRS.match(/../gu) ?? []).map((pair) => [pair[0]!, pair[1]!] as [string, string]),
);

/** The text with the traditional characters of the map replaced by their simplified forms (nothing else changed). */
export function toSimplified(text: string): string {
  return text.replace(/[\u3400-\u9fff]/g, (c) => TO_SIMPLIFIED.get(c) ?? c);
}
