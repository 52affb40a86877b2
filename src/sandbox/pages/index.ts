/**
 * Real HTML pages a person (or a browser test) clicks through: the console page that enables
 * IAM Identity Center, the SSO sign-in pages of the OIDC flows, and the federation endpoint's
 * console sign-in with its landing page.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallContext } from "../types.js";
import { consolePages } from "./console.js";
import { oidcPages } from "./oidc.js";
import { signinPages } from "./signin.js";

export interface PageRoute {
  method: "GET" | "POST";
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, ctx: CallContext, form: URLSearchParams): void | Promise<void>;
}

export const pageRoutes: PageRoute[] = [...consolePages, ...oidcPages, ...signinPages];
