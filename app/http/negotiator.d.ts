// The part of negotiator (the Accept-* negotiation Express and `compression` use) that Manabi calls:
// encodings in compression.server.ts, languages in app/i18n/accept-language.ts.
declare module "negotiator" {
  export default class Negotiator {
    constructor(request: { headers: Record<string, string | string[] | undefined> });
    encoding(available?: string[], preferred?: string[]): string | undefined;
    language(available?: string[]): string | undefined;
  }
}
