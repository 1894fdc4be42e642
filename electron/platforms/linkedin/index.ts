// LinkedIn connector: the factory, the Page chooser the core offers after sign-in, and the settings.
export { createLinkedInConnector, type LinkedInConnector } from './connector';
export { listAdministeredOrganizations, type LinkedInOrganizationChoice } from './organizations';
export {
  LINKEDIN_API_BASE,
  LINKEDIN_API_VERSION,
  LINKEDIN_AUTH_BASE,
  LINKEDIN_MEMBER_SCOPES,
  LINKEDIN_ORGANIZATION_SCOPES,
  type LinkedInClientCredentials,
  type LinkedInConnectorOptions,
} from './config';
export { escapeLittleText } from './little-text';
