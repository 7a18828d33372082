/**
 * @module The guide feature's public API: an agency's 政府信息公开指南 data (agency_profiles: the 信息公开工作机构's
 * office, address, phone, channels, 复议机关, court, notes). The portal renders the guide page and its edit form
 * from it; the applications feature prints the contact and remedy details in its notices.
 */
export {
  BASIC_CHANNELS,
  CHANNELS,
  type Channel,
  EMPTY_PROFILE,
  type GuideProfile,
  isChannel,
  normalizeChannels,
} from "./guide-profile.rules.ts";
export {
  getGuideProfile,
  guideStamp,
  PROFILE_TEXT_FIELDS,
  parseProfileInput,
  updateGuideProfile,
} from "./guide-profile.service.ts";
