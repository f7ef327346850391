import { index, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./org";

/**
 * A person's identity at the company's OpenID provider: the issuer and its subject id (`sub`), which
 * stays the same when the person's email changes. Created on the first single sign-on that matched an
 * imported person by the configured claim.
 */
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    id: serial("id").primaryKey(),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    linkedAt: timestamp("linked_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sso_identities_issuer_subject_key").on(t.issuer, t.subject),
    // One identity per person and provider: a second one for the same person is refused, not added.
    uniqueIndex("sso_identities_user_issuer_key").on(t.userId, t.issuer),
  ],
);

/**
 * Sign-ins started and not yet finished: the state sent to the provider, the nonce expected in the ID
 * token, the PKCE verifier and where to return. A callback consumes its row (delete … returning), so a
 * replayed callback finds nothing. `browser` is a hash of a random value in the browser's cookie, so a
 * callback in another browser (a login-CSRF attempt) is refused.
 */
export const ssoLoginStates = pgTable(
  "sso_login_states",
  {
    state: text("state").primaryKey(),
    browser: text("browser").notNull(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    returnTo: text("return_to").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sso_login_states_created_at_idx").on(t.createdAt)],
);

export type SsoIdentity = typeof ssoIdentities.$inferSelect;
