import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof database>;

/** A drizzle client over the D1 binding; cheap, made per request or per drain. */
export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}
export { schema };
