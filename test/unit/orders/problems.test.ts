import { describe, expect, it } from "vitest";
import { moveProblem, newProblem, problemIndicator, PROBLEM_MOVES } from "../../../src/domain/orders/problems";
import type { ProblemAction, ProblemState } from "../../../src/domain/orders/types";
import { T0 } from "./fixtures";

const STATES: ProblemState[] = ["new", "in_progress", "resolved", "rejected"];
const ACTIONS: ProblemAction[] = ["take", "resolve", "reject", "reopen"];
const problemIn = (state: ProblemState) => ({ ...newProblem("prb_x_1", "courier", "Кур'єр запізнюється", "api:k:Оля", T0), state });

describe("problem transitions", () => {
  const legal: Record<string, ProblemState> = {
    "new take": "in_progress",
    "in_progress resolve": "resolved",
    "new reject": "rejected",
    "in_progress reject": "rejected",
    "resolved reopen": "new",
    "rejected reopen": "new",
  };

  for (const state of STATES) {
    for (const action of ACTIONS) {
      const to = legal[`${state} ${action}`];
      if (to) {
        it(`a ${state} problem can be ${action}: → ${to}, with who and when`, () => {
          const r = moveProblem(problemIn(state), action, "telegram:7:Іван", T0 + 1000, "Перепросили, знижка 10%");
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.problem.state).toBe(to);
          expect(r.problem.updatedBy).toBe("telegram:7:Іван");
          expect(r.problem.updatedAt).toBe(T0 + 1000);
          expect(r.problem.transitions.at(-1)).toMatchObject({ from: state, to, actor: "telegram:7:Іван", at: T0 + 1000 });
        });
      } else {
        it(`a ${state} problem cannot be ${action}: 409 illegal_transition`, () => {
          const before = problemIn(state);
          const r = moveProblem(before, action, "x", T0 + 1000);
          expect(r.ok).toBe(false);
          if (r.ok) return;
          expect(r.error).toMatchObject({ status: 409, code: "illegal_transition" });
          expect(r.error.message).toContain(state);
        });
      }
    }
  }

  it("the move table covers exactly the six legal moves", () => {
    const count = Object.values(PROBLEM_MOVES).reduce((n, m) => n + m.from.length, 0);
    expect(count).toBe(6);
  });

  it("resolving keeps the resolution text; reopening clears it", () => {
    const taken = moveProblem(problemIn("new"), "take", "a", T0);
    if (!taken.ok) throw new Error();
    const resolved = moveProblem(taken.problem, "resolve", "a", T0 + 1, "  Повернули гроші  ");
    if (!resolved.ok) throw new Error();
    expect(resolved.problem.resolution).toBe("Повернули гроші");
    const reopened = moveProblem(resolved.problem, "reopen", "b", T0 + 2);
    if (!reopened.ok) throw new Error();
    expect(reopened.problem.resolution).toBeNull();
    expect(reopened.problem.transitions.map((t) => t.to)).toEqual(["new", "in_progress", "resolved", "new"]);
  });
});

describe("problem indicator", () => {
  const of = (...states: ProblemState[]) => problemIndicator(states.map((state) => ({ state })));
  it("no problems → grey", () => expect(of()).toBe("grey"));
  it("any new → orange, whatever else", () => expect(of("resolved", "in_progress", "new", "rejected")).toBe("orange"));
  it("no new but one in progress → yellow", () => expect(of("resolved", "in_progress")).toBe("yellow"));
  it("only resolved and rejected → green", () => expect(of("rejected", "resolved")).toBe("green"));
  it("only rejected → grey", () => expect(of("rejected", "rejected")).toBe("grey"));
});
