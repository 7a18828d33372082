import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toSimplified } from "./traditional-chinese.ts";

describe("toSimplified", () => {
  it("reads the words of a catalog served in 繁体 (中山市東鳳鎮 財政預決算 catalog) as simplified", () => {
    assert.equal(toSimplified("公開時限"), "公开时限");
    assert.equal(toSimplified("公開內容(要素)"), "公开内容(要素)");
    assert.equal(toSimplified("序號"), "序号");
    assert.equal(toSimplified("公開渠道和載體"), "公开渠道和载体");
    assert.equal(toSimplified("特定群眾"), "特定群众");
    assert.equal(toSimplified("政府網站"), "政府网站");
    assert.equal(toSimplified("信息形成或者變更之日起20個工作日內"), "信息形成或者变更之日起20个工作日内");
  });
  it("leaves simplified text, digits and punctuation alone", () => {
    const s = "信息形成或者变更之日起20个工作日内（法律法规另有规定的，从其规定）■政府网站";
    assert.equal(toSimplified(s), s);
  });
});
