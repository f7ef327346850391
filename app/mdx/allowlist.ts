/**
 * The components a lesson may use, with the props each declares (name → kind). One table for both
 * sides: the compiler (app/content/mdx-compile.ts) rejects any other component or prop, and the
 * renderer (lesson-body.tsx) passes a component only the declared props whose values pass the same
 * checks, so a stored tree that was written by an older release or altered in the database cannot
 * hand a component `dangerouslySetInnerHTML`, `style`, `on…` handlers or a `javascript:` source.
 * Pure: no React, no file system.
 */
import { ID_PATTERN } from "~/content/id-pattern";
import { ORGANISATION_KEYS } from "~/content/organisation-keys";
import { checkFigureSrc } from "~/content/urls";

export type PropKind = "text" | "id" | "src" | "enum";
export type PropSpec = { required?: boolean; kind: PropKind; values?: readonly string[] };
export type ComponentSpec = {
  props: Record<string, PropSpec>;
  /** flow: stands on its own lines; inline: inside a sentence. */
  placement: "flow" | "inline";
  /** Only allowed directly inside this component. */
  parent?: string;
  children: "none" | "markdown" | "inline" | "steps" | "dodont" | "example";
};

export const COMPONENT_SPECS = {
  Callout: {
    props: { type: { required: true, kind: "enum", values: ["info", "warning", "danger"] }, title: { kind: "text" } },
    placement: "flow",
    children: "markdown",
  },
  Term: { props: { id: { required: true, kind: "id" } }, placement: "inline", children: "inline" },
  Figure: {
    props: { src: { required: true, kind: "src" }, alt: { required: true, kind: "text" }, caption: { kind: "text" } },
    placement: "flow",
    children: "none",
  },
  Steps: { props: {}, placement: "flow", children: "steps" },
  DoDont: { props: {}, placement: "flow", children: "dodont" },
  Do: { props: {}, placement: "flow", parent: "DoDont", children: "markdown" },
  Dont: { props: {}, placement: "flow", parent: "DoDont", children: "markdown" },
  Example: {
    props: { kind: { required: true, kind: "enum", values: ["good", "bad", "neutral"] }, title: { kind: "text" } },
    placement: "flow",
    children: "example",
  },
  Prompt: { props: {}, placement: "flow", parent: "Example", children: "markdown" },
  Response: { props: {}, placement: "flow", parent: "Example", children: "markdown" },
  KnowledgeCheck: { props: { id: { required: true, kind: "id" } }, placement: "flow", children: "none" },
  /** A value of content/organisation.yaml in the lesson's language (filled in when the release is assembled). */
  Org: { props: { value: { required: true, kind: "enum", values: ORGANISATION_KEYS } }, placement: "inline", children: "none" },
} as const satisfies Record<string, ComponentSpec>;

export type ComponentName = keyof typeof COMPONENT_SPECS;
export const COMPONENT_NAMES = Object.keys(COMPONENT_SPECS) as ComponentName[];

/** The spec of an allowlisted component; undefined for anything else (`constructor` and `__proto__` included). */
export function componentSpec(name: string): ComponentSpec | undefined {
  return Object.hasOwn(COMPONENT_SPECS, name) ? (COMPONENT_SPECS as Record<string, ComponentSpec>)[name] : undefined;
}

export type PropProblem = { code: "invalid-prop" | "unsafe-url"; message: string; hint: string };

/** Whether a prop value is acceptable for its declared kind; the compiler and the renderer both ask this. */
export function checkPropValue(spec: PropSpec, propName: string, value: string): PropProblem | null {
  switch (spec.kind) {
    case "enum":
      return spec.values?.includes(value)
        ? null
        : {
            code: "invalid-prop",
            message: `"${value}" is not one of ${spec.values?.join(", ")}`,
            hint: `Use ${propName}="${spec.values?.[0]}" or another of: ${spec.values?.join(", ")}.`,
          };
    case "id":
      return ID_PATTERN.test(value)
        ? null
        : { code: "invalid-prop", message: "not a valid id", hint: "Ids are lower-case kebab-case, e.g. gb-001 or context-window." };
    case "text":
      return value.trim()
        ? null
        : { code: "invalid-prop", message: "must not be empty", hint: `Write the ${propName} text, or leave the prop out if it is optional.` };
    case "src": {
      const verdict = checkFigureSrc(value);
      return verdict.ok ? null : { code: "unsafe-url", message: verdict.message, hint: verdict.hint };
    }
  }
}

/**
 * The props a stored component may be rendered with: only the declared ones, only strings that pass
 * `checkPropValue`. Null when the name is not an allowlisted component or a required prop does not
 * survive (the component is then not rendered at all).
 */
export function safeComponentProps(name: string, stored: unknown): Record<string, string> | null {
  const spec = componentSpec(name);
  if (!spec) return null;
  const source = stored !== null && typeof stored === "object" && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const props: Record<string, string> = {};
  for (const [propName, propSpec] of Object.entries(spec.props)) {
    const value = Object.hasOwn(source, propName) ? source[propName] : undefined;
    if (typeof value === "string" && !checkPropValue(propSpec, propName, value)) props[propName] = value;
    else if (propSpec.required) return null;
  }
  return props;
}
