/**
 * Problems of an order: `new → in_progress → resolved`, `new | in_progress →
 * rejected`, and a resolved or rejected problem may be reopened to `new`.
 * The order's indicator is derived from them, never stored by hand.
 */
import type { Actor, Culprit, DomainError, Problem, ProblemAction, ProblemIndicator, ProblemState } from "./types";

export const PROBLEM_MOVES: Record<ProblemAction, { from: readonly ProblemState[]; to: ProblemState }> = {
  take: { from: ["new"], to: "in_progress" },
  resolve: { from: ["in_progress"], to: "resolved" },
  reject: { from: ["new", "in_progress"], to: "rejected" },
  reopen: { from: ["resolved", "rejected"], to: "new" },
};

export function newProblem(id: string, culprit: Culprit, description: string, actor: Actor, now: number): Problem {
  return {
    id,
    culprit,
    description,
    state: "new",
    resolution: null,
    createdBy: actor,
    createdAt: now,
    updatedBy: actor,
    updatedAt: now,
    transitions: [{ from: null, to: "new", actor, at: now }],
  };
}

/** The problem after `action`, or why it cannot be done (409: illegal in this state). */
export function moveProblem(
  p: Problem,
  action: ProblemAction,
  actor: Actor,
  now: number,
  resolution?: string,
): { ok: true; problem: Problem } | { ok: false; error: DomainError } {
  const move = PROBLEM_MOVES[action];
  if (!move.from.includes(p.state)) {
    return {
      ok: false,
      error: {
        status: 409,
        code: "illegal_transition",
        message: `a problem that is ${p.state} cannot be ${action === "take" ? "taken" : `${action}${action.endsWith("e") ? "d" : "ed"}`}`,
      },
    };
  }
  const text = action === "resolve" ? (resolution?.trim() || null) : null;
  return {
    ok: true,
    problem: {
      ...p,
      state: move.to,
      resolution: action === "resolve" ? text : action === "reopen" ? null : p.resolution,
      updatedBy: actor,
      updatedAt: now,
      transitions: [...p.transitions, { from: p.state, to: move.to, actor, at: now, ...(text ? { resolution: text } : {}) }],
    },
  };
}

/** Any new → orange; else any in progress → yellow; else any resolved → green; else grey. */
export function problemIndicator(problems: readonly Pick<Problem, "state">[]): ProblemIndicator {
  const has = (s: ProblemState) => problems.some((p) => p.state === s);
  if (has("new")) return "orange";
  if (has("in_progress")) return "yellow";
  if (has("resolved")) return "green";
  return "grey";
}
