/**
 * @module What an agency states in its 政府信息公开指南 (条例第12条): the profile's fields and the application
 * channels (pure). The channels follow 国办公开办函〔2017〕19号 (当面提交 and 邮政寄送 are basic channels and are
 * always accepted).
 */

/** Application channels an agency may announce. */
export const CHANNELS = {
  in_person: "当面提交",
  post: "邮政寄送",
  online: "在线申请",
  fax: "传真",
  email: "电子邮件",
} as const;

export type Channel = keyof typeof CHANNELS;

/** 国办公开办函〔2017〕19号: 当面提交 and 邮政寄送 are basic channels; no agency may refuse them. */
export const BASIC_CHANNELS: readonly Channel[] = ["in_person", "post"];

export function isChannel(value: string): value is Channel {
  return Object.hasOwn(CHANNELS, value);
}

/** Normalises a channel list: known codes only, basic channels always included, in canonical order. */
export function normalizeChannels(values: readonly string[]): Channel[] {
  const set = new Set<string>([...BASIC_CHANNELS, ...values]);
  return (Object.keys(CHANNELS) as Channel[]).filter((c) => set.has(c));
}

/** What the agency states in its guide (agency_profiles). Empty strings mean "not stated". */
export interface GuideProfile {
  officeName: string;
  officeAddress: string;
  postalCode: string;
  officeHours: string;
  phone: string;
  fax: string;
  email: string;
  website: string;
  readingRoom: string;
  channels: Channel[];
  intro: string;
  obtainNote: string;
  applyNote: string;
  feesNote: string;
  reviewBody: string;
  /** 管辖人民法院 named in the remedy clause of the agency's notices. */
  court: string;
  supervisorBody: string;
  remediesNote: string;
}

export const EMPTY_PROFILE: GuideProfile = {
  officeName: "",
  officeAddress: "",
  postalCode: "",
  officeHours: "",
  phone: "",
  fax: "",
  email: "",
  website: "",
  readingRoom: "",
  channels: ["in_person", "post", "online"],
  intro: "",
  obtainNote: "",
  applyNote: "",
  feesNote: "",
  reviewBody: "",
  court: "",
  supervisorBody: "",
  remediesNote: "",
};
