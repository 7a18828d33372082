import assert from "node:assert/strict";
import http from "node:http";
import { after, describe, it } from "node:test";
import { createMessenger, smsGatewaySender } from "./messenger.ts";

// The SMS gateway over HTTP against a loopback server (no network): JSON body, bearer token, failure on non-2xx.
const received: { auth: string | undefined; body: unknown }[] = [];
let status = 200;
const server = http.createServer((req, res) => {
  let data = "";
  req.on("data", (c) => {
    data += c;
  });
  req.on("end", () => {
    received.push({ auth: req.headers.authorization, body: JSON.parse(data) });
    res.writeHead(status).end("{}");
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
after(() => server.close());
const address = server.address();
const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/sms`;

describe("messenger", () => {
  it("no configuration, no channel", () => {
    const m = createMessenger({
      smtpUrl: undefined,
      mailFrom: "x@y",
      smsGatewayUrl: undefined,
      smsGatewayToken: undefined,
    });
    assert.equal(m.email, undefined);
    assert.equal(m.sms, undefined);
  });

  it("posts {to, text} with the bearer token and fails on a non-2xx answer", async () => {
    const send = smsGatewaySender({ smsGatewayUrl: url, smsGatewayToken: "secret-token" });
    assert.ok(send);
    await send("13812345678", "您的申请已答复");
    assert.deepEqual(received[0], {
      auth: "Bearer secret-token",
      body: { to: "13812345678", text: "您的申请已答复" },
    });
    status = 500;
    await assert.rejects(send("13812345678", "x"), /SMS gateway answered 500/);
  });
});
