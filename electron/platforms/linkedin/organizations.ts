// The Pages a connected member may act for, so the core can offer "post as" choices after sign-in.
// The member stays the default account; a Page becomes its own account with the same credentials
// and the organization URN as its id. Needs rw_organization_admin (Community Management API).
import type { ConnectorAccount, ConnectedProfile } from '../connector';
import { PlatformError } from '../errors';
import { LinkedInApi, encodeUrn } from './api';
import type { LinkedInConnectorOptions } from './config';
import { organization, organizationAcls } from './schemas';

export interface LinkedInOrganizationChoice {
  profile: ConnectedProfile;
  /** ADMINISTRATOR, CONTENT_ADMINISTRATOR, ...: the member's role on the Page. */
  role: string;
}

const ACL_PAGE = 100;
const MAX_ORGANIZATIONS = 500;

async function organizationProfile(api: LinkedInApi, account: ConnectorAccount, urn: string, signal?: AbortSignal): Promise<ConnectedProfile> {
  const id = urn.slice('urn:li:organization:'.length);
  let name: string | null = null;
  let vanity: string | null = null;
  try {
    const { data } = await api.json(account, { method: 'GET', path: `/rest/organizations/${encodeUrn(id)}`, ...(signal === undefined ? {} : { signal }) }, organization);
    name = data.localizedName ?? null;
    vanity = data.vanityName ?? null;
  } catch (err) {
    // A Page whose details we may not read is still one the member may post as.
    if (!(err instanceof PlatformError) || (err.status !== 403 && err.status !== 404)) throw err;
  }
  return {
    platformAccountId: urn,
    username: vanity,
    displayName: name,
    profileUrl: vanity === null ? null : `https://www.linkedin.com/company/${vanity}/`,
    avatarUrl: null,
    serverUrl: null,
  };
}

/** Pages where the member's role is approved, in LinkedIn's order. */
export async function listAdministeredOrganizations(
  account: ConnectorAccount,
  opts: LinkedInConnectorOptions = {},
  signal?: AbortSignal,
): Promise<LinkedInOrganizationChoice[]> {
  const api = new LinkedInApi(opts);
  const acls: { organization: string; role: string }[] = [];
  for (let start = 0; start < MAX_ORGANIZATIONS; start += ACL_PAGE) {
    const { data } = await api.json(
      account,
      {
        method: 'GET',
        path: '/rest/organizationAcls',
        query: { q: 'roleAssignee', state: 'APPROVED', start, count: ACL_PAGE },
        restliMethod: 'FINDER',
        ...(signal === undefined ? {} : { signal }),
      },
      organizationAcls,
    );
    for (const el of data.elements) if (el.state === 'APPROVED') acls.push({ organization: el.organization, role: el.role });
    if (data.elements.length < ACL_PAGE) break;
  }
  const choices: LinkedInOrganizationChoice[] = [];
  const seen = new Set<string>();
  for (const acl of acls) {
    // A member can hold several roles on one Page; offer the Page once, with its first role.
    if (seen.has(acl.organization)) continue;
    seen.add(acl.organization);
    choices.push({ profile: await organizationProfile(api, account, acl.organization, signal), role: acl.role });
  }
  return choices;
}
