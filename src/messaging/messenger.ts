/**
 * @module Outgoing messages to people outside the system: e-mail through the configured SMTP server (SMTP_URL,
 * nodemailer) and SMS through an optional HTTP gateway (SMS_GATEWAY_URL: `POST {"to","text"}` as JSON, bearer
 * SMS_GATEWAY_TOKEN). A channel that is not configured is absent, and callers say so instead of pretending to send.
 * Tests pass `captureMessenger()` (through `createDeps(…, { messenger })`): nothing leaves the process.
 */
import nodemailer from "nodemailer";
import type { Config } from "../config.ts";

export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
}

export interface Messenger {
  email?: ((message: EmailMessage) => Promise<void>) | undefined;
  sms?: ((to: string, text: string) => Promise<void>) | undefined;
}

/** An SMTP sender over config.smtpUrl, or undefined when e-mail is not configured. */
export function smtpSender(
  config: Pick<Config, "smtpUrl" | "mailFrom">,
): ((message: EmailMessage) => Promise<void>) | undefined {
  if (!config.smtpUrl) return undefined;
  const url = new URL(config.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 25)),
    secure: url.protocol === "smtps:",
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return async (message) => {
    await transport.sendMail({
      from: config.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  };
}

/** An SMS sender over the configured HTTP gateway, or undefined. Fails on a non-2xx answer or after 10 s. */
export function smsGatewaySender(
  config: Pick<Config, "smsGatewayUrl" | "smsGatewayToken">,
): ((to: string, text: string) => Promise<void>) | undefined {
  const url = config.smsGatewayUrl;
  if (!url) return undefined;
  return async (to, text) => {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(config.smsGatewayToken ? { authorization: `Bearer ${config.smsGatewayToken}` } : {}),
      },
      body: JSON.stringify({ to, text }),
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
  };
}

export function createMessenger(
  config: Pick<Config, "smtpUrl" | "mailFrom" | "smsGatewayUrl" | "smsGatewayToken">,
): Messenger {
  return { email: smtpSender(config), sms: smsGatewaySender(config) };
}

export interface CapturedMessage {
  channel: "email" | "sms";
  to: string;
  subject: string;
  text: string;
}

/** A messenger that keeps what it was asked to send (tests; `sms: false` leaves SMS unconfigured). */
export function captureMessenger(
  options: { sms?: boolean; fail?: boolean } = {},
): Messenger & { sent: CapturedMessage[] } {
  const sent: CapturedMessage[] = [];
  return {
    sent,
    async email(m) {
      if (options.fail) throw new Error("captured transport: failure requested");
      for (const to of m.to) sent.push({ channel: "email", to, subject: m.subject, text: m.text });
    },
    ...(options.sms === false
      ? {}
      : {
          async sms(to: string, text: string) {
            if (options.fail) throw new Error("captured transport: failure requested");
            sent.push({ channel: "sms", to, subject: "", text });
          },
        }),
  };
}
