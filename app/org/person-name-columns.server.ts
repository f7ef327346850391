import { users } from "#db/schema";
import type { PersonName } from "~/i18n/format";

/** A person's name as stored: written form, kana reading and romanised form. */
export type PersonNameFields = Required<PersonName>;

/** The columns of a person's name, as formatPersonName reads them: select them wherever a name is shown. */
export const personNameColumns = {
  familyName: users.familyName,
  givenName: users.givenName,
  familyNameKana: users.familyNameKana,
  givenNameKana: users.givenNameKana,
  familyNameLatin: users.familyNameLatin,
  givenNameLatin: users.givenNameLatin,
};
