/** Lower-case kebab-case, e.g. `genai-what-is-it` (ids of courses, lessons, questions, terms…). Free of zod: the lesson renderer ships it to browsers. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
