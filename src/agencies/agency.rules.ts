/**
 * @module Pure rules about agencies: identifiers (the 统一社会信用代码 check is in shared/identifiers.ts).
 */

export function isValidSlug(slug: string): boolean {
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) && slug.length <= 60;
}
