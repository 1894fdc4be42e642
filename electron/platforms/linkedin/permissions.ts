// LinkedIn answers 403 both for a missing scope (reconnecting with it fixes that: 'auth') and for
// permissions it grants only to approved partners, which no reconnect can fix.
import { PlatformError } from '../errors';
import { recategorize } from './api';
import { isOrganizationUrn } from './config';

/**
 * Reading a member's own posts, comments and counts needs r_member_social, which LinkedIn grants
 * only to approved partners; for a member a 403 there is 'permanent'. For a Page it stays 'auth':
 * the token lacks r_organization_social or the member lost the admin role.
 */
export function restrictedRead(err: unknown, author: string, what: string): unknown {
  if (!(err instanceof PlatformError) || err.status !== 403 || isOrganizationUrn(author)) return err;
  return recategorize(
    err,
    'permanent',
    `LinkedIn doesn't let this app read ${what} of a personal profile: that needs the r_member_social permission, which LinkedIn grants only to approved partners.`,
  );
}
