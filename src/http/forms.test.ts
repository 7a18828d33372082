import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { html } from "../shared/html.ts";
import { groupedOptions, selectField } from "./forms.ts";

describe("selectField groups", () => {
  it("wraps consecutive options of one group in an <optgroup> labelled with the group", () => {
    const out = String(
      selectField({
        name: "elementId",
        label: "公开内容（要素）",
        value: "b2",
        dependsOn: "itemId",
        options: [
          { value: "a1", label: "办事指南", group: "1 社会保险登记 > 1.1 参保登记", groupKey: "item-a" },
          { value: "a2", label: "办理结果", group: "1 社会保险登记 > 1.1 参保登记", groupKey: "item-a" },
          { value: "b1", label: "办事指南", group: "2 就业 > 2.1 失业登记", groupKey: "item-b" },
          { value: "b2", label: "办理结果", group: "2 就业 > 2.1 失业登记", groupKey: "item-b" },
        ],
      }),
    );
    assert.equal(out.match(/<optgroup /g)?.length, 2);
    assert.match(
      out,
      /<optgroup label="1 社会保险登记 &gt; 1.1 参保登记" data-key="item-a"><option value="a1">办事指南<\/option><option value="a2">办理结果<\/option><\/optgroup>/,
    );
    assert.match(out, /<option value="b2" selected>办理结果<\/option><\/optgroup>/);
    assert.match(out, /data-depends-on="f-itemId"/);
  });

  it("keeps options without a group at the top level and never merges groups of equal label but other key", () => {
    const render = (o: { value: string }) => html`<option>${o.value}</option>`;
    const out = groupedOptions(
      [
        { value: "x" },
        { value: "1", group: "办理结果", groupKey: "k1" },
        { value: "2", group: "办理结果", groupKey: "k2" },
        { value: "y" },
      ],
      render,
    ).join("");
    assert.equal(
      out,
      '<option>x</option><optgroup label="办理结果" data-key="k1"><option>1</option></optgroup><optgroup label="办理结果" data-key="k2"><option>2</option></optgroup><option>y</option>',
    );
  });

  it("escapes group labels", () => {
    const out = groupedOptions([{ value: "1", group: '<b>"x"</b>' }], () => html`<option></option>`).join("");
    assert.ok(!out.includes("<b>"));
  });
});
