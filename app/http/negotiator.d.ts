// The part of negotiator (the Accept-* negotiation `compression` uses) that compression.server.ts calls.
declare module "negotiator" {
  import type { IncomingMessage } from "node:http";
  export default class Negotiator {
    constructor(request: IncomingMessage);
    encoding(available?: string[], preferred?: string[]): string | undefined;
  }
}
