import { randomUUID } from "node:crypto";
import { getDb } from "#db/client.server";
import { auditLog, users } from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { splitFullName, type NewAccountInput } from "./new-account";

export type CreateAccountResult = { kind: "created"; id: string } | { kind: "email-taken" } | { kind: "invalid-name" };

/**
 * Creates a person who can sign in (the first admin of a server database, for instance), with the
 * audit entry in the same transaction. Emails are unique without regard to case.
 */
export async function createAccount(
  input: NewAccountInput & { password: string },
  actor: { id: string | null; via: "command-line" | "admin" },
): Promise<CreateAccountResult> {
  const name = splitFullName(input.name);
  if (!name) return { kind: "invalid-name" };
  const passwordHash = await hashPassword(input.password);
  const id = `u-${randomUUID()}`;
  return getDb().transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values({
        id,
        email: input.email,
        passwordHash,
        displayName: input.name.trim(),
        familyName: name.familyName,
        givenName: name.givenName,
        preferredLanguage: input.language ?? null,
        roles: [...new Set(input.roles)],
      })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (inserted.length === 0) return { kind: "email-taken" } as const;
    await tx.insert(auditLog).values({
      actorId: actor.id,
      action: "user.create",
      targetType: "user",
      targetId: id,
      details: { email: input.email, roles: [...new Set(input.roles)], via: actor.via },
    });
    return { kind: "created", id } as const;
  });
}
