// buffering.retryExpression: Traefik's (oxy's buffer) retry condition, evaluated after each answer.
import type { Functions } from "../traffic/expression.ts";

export interface AttemptView {
  /** 1 for the first answer, 2 after one retry, ... */
  readonly attempt: number;
  readonly status: number;
  readonly method: string;
}

export const retryFunctions: Functions<AttemptView> = {
  Attempts: { params: [], returns: "int", build: () => (v) => v.attempt },
  ResponseCode: { params: [], returns: "int", build: () => (v) => v.status },
  // As oxy: a 502 or 504 answer, whoever made it.
  IsNetworkError: { params: [], returns: "bool", build: () => (v) => v.status === 502 || v.status === 504 },
  RequestMethod: { params: [], returns: "string", build: () => (v) => v.method },
};

/** oxy's DefaultMaxRetryAttempts: past this many answers the expression is not asked again. */
export const MAX_RETRY_ATTEMPTS = 10;
