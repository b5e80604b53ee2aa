/**
 * One per order: problems, payments and POS-export state machines.
 * FOUNDATION SHELL: the class exists so the binding and its SQLite storage are
 * declared from the first deployment; the orders issue builds it.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class OrderObject extends DurableObject<Env> {}
