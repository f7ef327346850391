import { API_SCOPES } from "#db/schema/access";
import { DEFAULT_EVENTS_LIMIT, MAX_BATCH_PAIRS, MAX_EVENTS_LIMIT } from "./api-input";
import { API_BURST, API_RATE_PER_SECOND } from "./rate-limit";

/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Its schemas are JSON Schema
 * 2020-12; tests/integration/api.test.ts validates every endpoint's real answers against them.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });
const json = (description: string, schema: object) => ({ description, content: { "application/json": { schema } } });
const dateTime = { type: "string", format: "date-time" } as const;

const bearerErrors = {
  "401": problem("No token, or one that is unknown, revoked or malformed."),
  "403": problem("The token lacks the scope access:read."),
  "429": {
    description: `The token exceeded its rate (${API_RATE_PER_SECOND} requests a second, bursts of ${API_BURST}, per app process).`,
    headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer", minimum: 1 } } },
    content: { "application/problem+json": { schema: ref("Problem") } },
  },
  "503": problem("No content release is published yet."),
};

const nextStep = {
  description: "What the person can do next about a track they do not hold.",
  oneOf: [
    { type: "object", required: ["kind", "courseIds"], additionalProperties: false, properties: { kind: { const: "courses" }, courseIds: { type: "array", items: { type: "string" } } } },
    { type: "object", required: ["kind"], additionalProperties: false, properties: { kind: { const: "exam" } } },
    { type: "object", required: ["kind", "opensAt"], additionalProperties: false, properties: { kind: { const: "retake" }, opensAt: dateTime } },
    { type: "object", required: ["kind"], additionalProperties: false, properties: { kind: { const: "no-attempts-left" } } },
    { type: "object", required: ["kind", "attemptId"], additionalProperties: false, properties: { kind: { const: "exam-in-progress" }, attemptId: { type: "string" } } },
    { type: "object", required: ["kind"], additionalProperties: false, properties: { kind: { const: "inactive" } } },
    { type: "object", required: ["kind"], additionalProperties: false, properties: { kind: { const: "unknown-track" } } },
  ],
};

const decisionProperties = {
  allowed: { type: "boolean", description: "May the person use the tool now." },
  tool: ref("ToolRef"),
  validUntil: { oneOf: [dateTime, { type: "null" }], description: "While allowed: when access ends unless the person recertifies." },
  missingTracks: { type: "array", items: ref("MissingTrack") },
  certificates: { type: "array", items: ref("Certificate"), description: "The valid certificates the decision rests on, one per satisfied track." },
};

export const openApiDocument = {
  openapi: "3.1.0",
  jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
  info: {
    title: "Manabi access API",
    version: "1.0.0",
    description:
      "May this person use this AI tool now? Answers from Manabi's certification records under the current content release. " +
      "Authenticate with an API token made by an admin (or `npm run token:create`): `Authorization: Bearer mnb_live_…`. " +
      "Errors are RFC 9457 problem details. Answers are never cached (Cache-Control: no-store).",
  },
  servers: [{ url: "/" }],
  security: [{ bearer: ["access:read"] }],
  paths: {
    "/api/v1/access": {
      get: {
        operationId: "getAccess",
        summary: "The decision for one person and one tool",
        parameters: [
          { name: "user", in: "query", required: true, description: "Email address (any case) or employee number.", schema: { type: "string", minLength: 1, maxLength: 254 } },
          { name: "tool", in: "query", required: true, description: "Tool id from the catalog.", schema: { type: "string", minLength: 1, maxLength: 100 } },
        ],
        responses: {
          "200": json("The decision.", ref("Access")),
          "400": problem("A parameter is missing, repeated, too long or malformed."),
          "404": problem("No such person (code unknown-person) or tool (code unknown-tool)."),
          ...bearerErrors,
        },
      },
    },
    "/api/v1/access/batch": {
      post: {
        operationId: "postAccessBatch",
        summary: `Decisions for up to ${MAX_BATCH_PAIRS} pairs, in the order asked`,
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["pairs"],
                properties: {
                  pairs: {
                    type: "array",
                    maxItems: MAX_BATCH_PAIRS,
                    items: { type: "object", required: ["user", "tool"], properties: { user: { type: "string" }, tool: { type: "string" } } },
                  },
                },
              },
            },
          },
        },
        responses: {
          "200": json("One entry per pair, in the same order: a decision, or an error for an unknown person or tool.", ref("BatchResult")),
          "400": problem("The body is not JSON or not { pairs: [{ user, tool }] }."),
          "413": problem(`More than ${MAX_BATCH_PAIRS} pairs (code too-many-pairs), or a body over 256 KB.`),
          "415": problem("The body is not application/json."),
          ...bearerErrors,
        },
      },
    },
    "/api/v1/people/{person}/tools": {
      get: {
        operationId: "getPersonTools",
        summary: "Every tool of the catalog with the person's decision",
        parameters: [{ name: "person", in: "path", required: true, description: "Email address or employee number.", schema: { type: "string" } }],
        responses: {
          "200": json("The person and one decision per tool, in catalog order.", ref("PersonTools")),
          "404": problem("No such person."),
          ...bearerErrors,
        },
      },
    },
    "/api/v1/events": {
      get: {
        operationId: "listEvents",
        summary: "Entitlement changes after a cursor, oldest first (scope events:read)",
        description:
          "An ordered feed of changes to who may use which tool: granted (access starts or is extended), expiring-soon (the recertification " +
          "window of the certificate access ends with has opened; once per end date), expired (dated when the certificate ran out, even if " +
          "noticed later), revoked (a certificate revoked, or the person deactivated) and requirement-changed (a content release changed or " +
          "withdrew the tool's requirement). Pass the answer's nextCursor as `after` on the next poll: events are numbered in the order they " +
          "were committed, so a consumer never misses or double-counts one; changes that time alone brings (expiries) are recorded before the " +
          "answer. With nothing new, nextCursor is the cursor you sent. Webhooks receive the same events.",
        security: [{ bearer: ["events:read"] }],
        parameters: [
          { name: "after", in: "query", required: false, description: "A nextCursor from an earlier answer; none starts at the beginning.", schema: { type: "string", pattern: "^[0-9]{1,15}$" } },
          { name: "limit", in: "query", required: false, description: `At most this many events (default ${DEFAULT_EVENTS_LIMIT}).`, schema: { type: "integer", minimum: 1, maximum: MAX_EVENTS_LIMIT } },
        ],
        responses: {
          "200": json("The next events, the cursor to continue from, and whether more are waiting.", ref("EventPage")),
          "400": problem("after is not a cursor of this feed, or limit is out of range."),
          "401": bearerErrors["401"],
          "403": problem("The token lacks the scope events:read."),
          "429": bearerErrors["429"],
        },
      },
    },
    "/api/v1/forward-auth/{toolId}": {
      get: {
        operationId: "forwardAuth",
        summary: "Gateway check (nginx auth_request, Traefik forwardAuth, Envoy ext_authz)",
        description:
          "The gateway sends its own token and names the person in the header FORWARD_AUTH_USER_HEADER (default X-Forwarded-Email). " +
          "The header counts only with a valid token. Unknown person or tool and no release are 403 as well.",
        parameters: [
          { name: "toolId", in: "path", required: true, schema: { type: "string" } },
          { name: "X-Forwarded-Email", in: "header", required: false, description: "The person (email or employee number); the header name is configurable.", schema: { type: "string" } },
        ],
        responses: {
          "204": {
            description: "Allowed.",
            headers: {
              "X-Manabi-Release": { schema: { type: "string" } },
              "X-Manabi-Valid-Until": { schema: { type: "string", format: "date-time" } },
            },
          },
          "401": problem("The gateway's token is missing or not valid."),
          "403": { description: "Refused, with a one-line reason.", content: { "text/plain": { schema: { type: "string", pattern: "^not allowed: " } } } },
          "429": bearerErrors["429"],
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: `API token; scopes: ${API_SCOPES.join(", ")}.` },
    },
    schemas: {
      Person: {
        type: "object",
        required: ["id", "email", "employeeNumber", "active"],
        additionalProperties: false,
        properties: { id: { type: "string" }, email: { type: "string" }, employeeNumber: { type: ["string", "null"] }, active: { type: "boolean" } },
      },
      ToolRef: {
        type: "object",
        required: ["id", "name"],
        additionalProperties: false,
        properties: {
          id: { type: "string" },
          name: { type: "object", required: ["en", "ja"], additionalProperties: false, properties: { en: { type: "string" }, ja: { type: "string" } } },
        },
      },
      NextStep: nextStep,
      MissingTrack: {
        type: "object",
        required: ["trackId", "reason", "nextStep"],
        additionalProperties: false,
        properties: {
          trackId: { type: "string" },
          reason: { enum: ["no-certificate", "certificate-expired", "certificate-revoked", "unknown-track"] },
          nextStep: ref("NextStep"),
        },
      },
      Certificate: {
        type: "object",
        required: ["trackId", "id", "number", "validUntil"],
        additionalProperties: false,
        properties: { trackId: { type: "string" }, id: { type: "string" }, number: { type: "string" }, validUntil: dateTime },
      },
      Access: {
        type: "object",
        required: ["allowed", "user", "tool", "validUntil", "missingTracks", "certificates", "release"],
        additionalProperties: false,
        properties: { ...decisionProperties, user: ref("Person"), release: { type: "integer", description: "The content release decided under." } },
      },
      ToolDecision: {
        type: "object",
        required: ["allowed", "tool", "validUntil", "missingTracks", "certificates"],
        additionalProperties: false,
        properties: decisionProperties,
      },
      BatchError: {
        type: "object",
        required: ["user", "tool", "error"],
        additionalProperties: false,
        properties: {
          user: { type: "string" },
          tool: { type: "string" },
          error: {
            type: "object",
            required: ["status", "code", "detail"],
            additionalProperties: false,
            properties: { status: { const: 404 }, code: { enum: ["unknown-person", "unknown-tool"] }, detail: { type: "string" } },
          },
        },
      },
      BatchResult: {
        type: "object",
        required: ["decisions"],
        additionalProperties: false,
        properties: { decisions: { type: "array", maxItems: MAX_BATCH_PAIRS, items: { oneOf: [ref("Access"), ref("BatchError")] } } },
      },
      PersonTools: {
        type: "object",
        required: ["user", "release", "tools"],
        additionalProperties: false,
        properties: { user: ref("Person"), release: { type: "integer" }, tools: { type: "array", items: ref("ToolDecision") } },
      },
      EventCertificate: {
        type: "object",
        required: ["trackId", "certificateId", "number", "validUntil"],
        additionalProperties: false,
        properties: { trackId: { type: "string" }, certificateId: { type: "string" }, number: { type: "string" }, validUntil: dateTime },
      },
      Event: {
        type: "object",
        required: ["cursor", "kind", "occurredAt", "recordedAt", "user", "tool", "allowed", "validUntil", "release", "cause", "certificates"],
        additionalProperties: false,
        properties: {
          cursor: { type: "string", description: "This event's place in the feed." },
          kind: { enum: ["granted", "expiring-soon", "expired", "revoked", "requirement-changed"] },
          occurredAt: { ...dateTime, description: "When the change happened (for expired: when the certificate ran out)." },
          recordedAt: { ...dateTime, description: "When Manabi recorded it." },
          user: {
            type: "object",
            required: ["id", "email", "employeeNumber"],
            additionalProperties: false,
            properties: { id: { type: "string" }, email: { type: "string" }, employeeNumber: { type: ["string", "null"] } },
          },
          tool: { type: "string", description: "The tool id." },
          allowed: { type: "boolean", description: "The entitlement after the change." },
          validUntil: { oneOf: [dateTime, { type: "null" }], description: "While allowed: when access ends unless the person recertifies." },
          release: { type: "integer", description: "The content release the change was decided under." },
          cause: {
            type: "string",
            description:
              "Why: certified, renewed, requirements-lowered, recertification-window, certificate-expired, certificate-revoked, inactive, requirements-raised, tool-withdrawn, not-certified, unknown-track.",
          },
          certificates: { type: "array", items: ref("EventCertificate"), description: "The valid certificates the new state rests on." },
          previousValidUntil: { oneOf: [dateTime, { type: "null" }] },
          missingTracks: {
            type: "array",
            items: {
              type: "object",
              required: ["trackId", "reason"],
              additionalProperties: false,
              properties: { trackId: { type: "string" }, reason: { enum: ["no-certificate", "certificate-expired", "certificate-revoked", "unknown-track"] } },
            },
          },
          requiredTracks: { type: "array", items: { type: "string" } },
          previousRequiredTracks: { type: "array", items: { type: "string" } },
        },
      },
      EventPage: {
        type: "object",
        required: ["events", "nextCursor", "hasMore"],
        additionalProperties: false,
        properties: {
          events: { type: "array", items: ref("Event") },
          nextCursor: { type: "string", description: "Send it as `after` next time." },
          hasMore: { type: "boolean", description: "More events are waiting: ask again at once." },
        },
      },
      Problem: {
        type: "object",
        description: "RFC 9457 problem details; `code` names the problem for programs.",
        // Answers refused before the API (a body over its size limit) carry requestId instead of code.
        required: ["type", "title", "status", "detail"],
        properties: {
          type: { type: "string" },
          title: { type: "string" },
          status: { type: "integer" },
          detail: { type: "string" },
          code: { type: "string" },
          maxPairs: { type: "integer" },
          requestId: { type: "string" },
        },
      },
    },
  },
} as const;
