/**
 * Each company's own rules without forking lessons: content/organisation.yaml holds the company's
 * values (policy name and version, data class names, contacts, intranet links, the name certificates
 * are issued under) in both languages, and a lesson shows one with `<Org value="incidentContact" />`.
 * Pure: the schema, the keys and the nodes a value renders as.
 *
 * Every key is required, so every `<Org>` a lesson may write has a value; a key not listed here is an
 * error (a misspelt key would otherwise silently show nothing).
 */
import { z } from "zod";
import type { Language, MdxNode } from "~/content/types";

// The keys live in a module without zod, so the lesson renderer can check them without shipping zod.
import { ORGANISATION_KEYS, type OrganisationKey } from "./organisation-keys";
export { ORGANISATION_KEYS, type OrganisationKey };

/** What each key is for: shown on the Authoring page and in the error for a missing key. */
export const ORGANISATION_KEY_PURPOSE: Record<OrganisationKey, string> = {
  organisationName: "the company's name",
  issuerName: "the name certificates and Open Badges are issued under",
  coeName: "the AI Center of Excellence (the team that runs Manabi)",
  policyName: "the name of the company's AI use policy",
  policyVersion: "the policy's version",
  dataClassPublic: "the name of the Public data class",
  dataClassInternal: "the name of the Internal data class",
  dataClassConfidential: "the name of the Confidential data class",
  toolRequest: "where to request a new AI tool",
  incidentContact: "who to tell at once about an incident",
  privacyContact: "the contact for personal information",
  csirtName: "the name of the CSIRT",
  intranetPortal: "the intranet page about AI at the company",
  intranetPolicy: "the policy on the intranet",
};

const text = z.string({ invalid_type_error: "must be text", required_error: "is missing" }).refine((v) => v.trim().length > 0, "must not be empty");

/** https:, mailto: and tel: only: a value is a page, a mailbox or a phone number. */
export const ORG_HREF = /^(?:https:\/\/[^\s<>"]+|mailto:[^\s@<>"]+@[^\s@<>"]+|tel:\+?[0-9][0-9 -]*)$/;

export const organisationValueSchema = z
  .object({
    en: text,
    ja: text,
    href: z
      .string({ invalid_type_error: "must be text" })
      .regex(ORG_HREF, "must be an https:// address, mailto:name@example.co.jp or tel:+81-3-0000-0000")
      .optional(),
  })
  .strict();
export type OrganisationValue = z.infer<typeof organisationValueSchema>;
export type OrganisationValues = Record<OrganisationKey, OrganisationValue>;

export const organisationFileSchema = z
  .object({
    values: z
      .object(Object.fromEntries(ORGANISATION_KEYS.map((key) => [key, organisationValueSchema])) as Record<OrganisationKey, typeof organisationValueSchema>)
      .strict(),
  })
  .strict();

/** The nodes an `<Org>` element holds once resolved: the value's text, as a link when it has an address. */
export function organisationNodes(value: OrganisationValue, lang: Language): MdxNode[] {
  const label: MdxNode = { type: "text", value: value[lang] };
  return value.href ? [{ type: "element", name: "a", props: { href: value.href }, children: [label] }] : [label];
}

/** The tree with every `<Org value>` filled in with its value in `lang` (other nodes are shared, not copied). */
export function resolveOrganisation(nodes: MdxNode[], values: OrganisationValues, lang: Language): MdxNode[] {
  return nodes.map((node) => {
    if (node.type !== "element") return node;
    if (node.name === "Org") {
      const key = node.props.value;
      const value = typeof key === "string" && Object.hasOwn(values, key) ? values[key as OrganisationKey] : undefined;
      return { ...node, children: value ? organisationNodes(value, lang) : [] };
    }
    return node.children.length ? { ...node, children: resolveOrganisation(node.children, values, lang) } : node;
  });
}
