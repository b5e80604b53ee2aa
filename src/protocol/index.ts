export * from "./common";
export * from "./events";
export * from "./heartbeat";
export * from "./link";
export * from "./orders";
export * from "./report";
export * from "./signing";
