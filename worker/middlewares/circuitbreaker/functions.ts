// The functions circuitBreaker.expression may call, as Traefik defines them.
import type { Functions } from "../traffic/expression.ts";
import type { Metrics } from "./metrics.ts";

export interface BreakerView {
  readonly metrics: Metrics;
  readonly now: number;
}

export const breakerFunctions: Functions<BreakerView> = {
  NetworkErrorRatio: {
    params: [],
    returns: "float",
    build: () => (v) => v.metrics.networkErrorRatio(v.now),
  },
  ResponseCodeRatio: {
    params: ["int", "int", "int", "int"],
    returns: "float",
    build: ([fromA = 0, toA = 0, fromB = 0, toB = 0]) => (v) => v.metrics.responseCodeRatio(v.now, fromA, toA, fromB, toB),
  },
  LatencyAtQuantileMS: {
    params: ["float"],
    returns: "int",
    build: ([quantile = 0]) => (v) => v.metrics.latencyAtQuantileMs(v.now, quantile),
  },
};
