/** The keys of content/organisation.yaml (see organisation.ts). Pure and free of zod: the lesson renderer ships it to browsers. */
export const ORGANISATION_KEYS = [
  "organisationName",
  "issuerName",
  "coeName",
  "policyName",
  "policyVersion",
  "dataClassPublic",
  "dataClassInternal",
  "dataClassConfidential",
  "toolRequest",
  "incidentContact",
  "privacyContact",
  "csirtName",
  "intranetPortal",
  "intranetPolicy",
] as const;
export type OrganisationKey = (typeof ORGANISATION_KEYS)[number];
