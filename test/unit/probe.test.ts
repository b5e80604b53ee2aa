import { it, expect } from "vitest";
it("node", () => expect(process.version.startsWith("v20")).toBe(true));
