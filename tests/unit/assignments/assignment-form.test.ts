import { describe, expect, it } from "vitest";
import { parsePeopleList } from "~/assignments/assignment-form";

describe("a pasted list of people", () => {
  it("splits on new lines, commas, tabs, spaces and Japanese commas, keeping employee numbers as text", () => {
    expect(parsePeopleList("001002\r\n001003, a@example.com\tb@example.com；c@example.com、000004  ")).toEqual([
      "001002",
      "001003",
      "a@example.com",
      "b@example.com",
      "c@example.com",
      "000004",
    ]);
  });
  it("reads full-width digits and letters as Excel on Japanese Windows may write them, and drops repeats (emails in any case)", () => {
    expect(parsePeopleList("００１００２\n001002\nA@Example.com\na@example.com")).toEqual(["001002", "A@Example.com"]);
  });
  it("is empty for blank input", () => {
    expect(parsePeopleList(" \n\t ,")).toEqual([]);
  });
});
