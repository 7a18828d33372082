import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkDomain, type DomainResolver } from "./link-check.ts";
import {
  domainLapse,
  likePattern,
  PARKING_NAME_SERVERS,
  parkingProvider,
  registeredDomain,
} from "./link-lapse.rules.ts";

describe("lapsed domains of external links", () => {
  test("NXDOMAIN and parking name servers are lapses; ordinary name servers are not", () => {
    for (const [answer, expected] of [
      [{ notFound: true, nameServers: [] }, "nxdomain"],
      [{ notFound: false, nameServers: ["ns1.sedoparking.com", "ns2.sedoparking.com"] }, "parked"],
      [{ notFound: false, nameServers: ["NS1.PendingRenewalDeletion.com."] }, "parked"],
      [{ notFound: false, nameServers: ["ns3.parkingcrew.net"] }, "parked"],
      [{ notFound: false, nameServers: ["expired-domain-ns1.fabulous.com"] }, "parked"],
      [{ notFound: false, nameServers: ["NS01.CashParking.com."] }, "parked"],
      [{ notFound: false, nameServers: ["dns7.hichina.com", "dns8.hichina.com"] }, null],
      [{ notFound: false, nameServers: ["ns1.dnspod.net"] }, null],
      [{ notFound: false, nameServers: [] }, null],
    ] as const)
      assert.equal(domainLapse(answer), expected, JSON.stringify(answer));
  });

  test("LIKE patterns of the sources: % spans any characters, everything else is literal", () => {
    for (const [pattern, host, expected] of [
      ["ns%.parkingcrew.net", "ns1.parkingcrew.net", true],
      ["ns%.parkingcrew.net", "ns.a.b.parkingcrew.net", true],
      ["ns%.parkingcrew.net", "xns1.parkingcrew.net", false],
      ["ns%.parkingcrew.net", "ns1.parkingcrewxnet", false],
      ["ns1.bodis.com", "ns1.bodis.com", true],
      ["ns1.bodis.com", "ns1.bodis.com.cn", false],
      ["%ns%.above.com", "ns1.above.com", true],
      ["%ns%.above.com", "dns7.above.com", true],
    ] as const)
      assert.equal(likePattern(pattern).test(host), expected, `${pattern} ~ ${host}`);
  });

  test("the shipped list: every entry has a provider, a known source and a pattern that matches its own example", () => {
    assert.ok(PARKING_NAME_SERVERS.length >= 100);
    for (const e of PARKING_NAME_SERVERS) {
      assert.ok(e.provider && ["tma2022", "salewatch"].includes(e.source), JSON.stringify(e));
      const example = e.pattern.replaceAll("%", "1");
      assert.notEqual(parkingProvider(example), null, `${e.pattern} matches ${example}`);
    }
    // Ordinary DNS hosts of Chinese and international providers are not parking services.
    for (const ns of [
      "dns1.hichina.com",
      "ns1.dnspod.net",
      "f1g1ns1.dnspod.net",
      "ns-1.awsdns-01.org",
      "ns1.domaincontrol.com",
      "vip1.alidns.com",
    ])
      assert.equal(parkingProvider(ns), null, ns);
  });

  test("the registered domain of a host (two-level suffixes such as gov.cn kept)", () => {
    assert.equal(registeredDomain("www.example.com"), "example.com");
    assert.equal(registeredDomain("rsj.hangzhou.gov.cn"), "hangzhou.gov.cn");
    assert.equal(registeredDomain("a.b.example.com.cn"), "example.com.cn");
    assert.equal(registeredDomain("example.cn."), "example.cn");
    assert.equal(registeredDomain("10.1.2.3"), null);
    assert.equal(registeredDomain("::1"), null);
  });

  test("checkDomain with an injected resolver: ENOTFOUND is NXDOMAIN, a DNS failure is not a lapse", async () => {
    const asked: string[] = [];
    const resolver: DomainResolver = {
      nameServers: async (domain) => {
        asked.push(domain);
        if (domain === "expired.cn")
          throw Object.assign(new Error("queryNs ENOTFOUND"), { code: "ENOTFOUND" });
        if (domain === "flaky.cn") throw Object.assign(new Error("queryNs ETIMEOUT"), { code: "ETIMEOUT" });
        if (domain === "forsale.com") return ["ns1.parkingcrew.net"];
        return ["ns1.example.net"];
      },
    };
    assert.equal(await checkDomain("www.expired.cn", resolver), "nxdomain");
    assert.equal(await checkDomain("forsale.com", resolver), "parked");
    assert.equal(await checkDomain("www.flaky.cn", resolver), null);
    assert.equal(await checkDomain("www.gov.cn", resolver), null);
    assert.equal(await checkDomain("127.0.0.1", resolver), null);
    assert.deepEqual(asked, ["expired.cn", "forsale.com", "flaky.cn", "www.gov.cn"]);
  });
});
