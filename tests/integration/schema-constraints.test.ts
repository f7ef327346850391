import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { knowledgeCheckAnswers, lessonProgress, users } from "#db/schema";
import { createUser, settle } from "../helpers/factories";

/** The database itself refuses what the application must never write, whatever code path tries. */
async function refused(write: () => Promise<unknown>): Promise<string> {
  const { thrown, value } = await settle(write);
  expect(thrown, "the database should refuse this write").toBe(true);
  const error = value as { message?: string; cause?: { message?: string }; code?: string };
  return `${error.message ?? ""} ${error.cause?.message ?? ""}`;
}

describe("database constraints", () => {
  it("treats emails that differ only in case as the same account", async () => {
    await createUser({ email: "Taro.Yamada@example.com" });
    const message = await refused(() => createUser({ email: "taro.yamada@EXAMPLE.com" }));
    expect(message).toMatch(/users_email_lower_key|duplicate key/);
  });

  it("keeps one progress row per person and lesson (primary key)", async () => {
    const user = await createUser();
    await getDb().insert(lessonProgress).values({ userId: user.id, lessonId: "l1", courseId: "c1" });
    const message = await refused(() => getDb().insert(lessonProgress).values({ userId: user.id, lessonId: "l1", courseId: "c1" }));
    expect(message).toMatch(/lesson_progress_pkey|duplicate key/);
  });

  it("refuses unknown values in enum columns", async () => {
    const user = await createUser();
    expect(await refused(() => getDb().update(users).set({ preferredLanguage: "fr" as "ja" }).where(sql`${users.id} = ${user.id}`))).toMatch(
      /users_preferred_language_check|check constraint/,
    );
    expect(await refused(() => getDb().update(users).set({ roles: ["owner" as "hr"] }).where(sql`${users.id} = ${user.id}`))).toMatch(
      /users_roles_check|check constraint/,
    );
    expect(
      await refused(() =>
        getDb()
          .insert(knowledgeCheckAnswers)
          .values({ userId: user.id, questionId: "q", lessonId: "l", releaseNumber: 1, answer: ["a"], correct: false, language: "de" as "ja" }),
      ),
    ).toMatch(/knowledge_check_answers_language_check|check constraint/);
  });
});
