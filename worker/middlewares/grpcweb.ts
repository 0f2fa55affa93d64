// grpcWeb: Traefik translates gRPC-Web (HTTP/1.1, trailers in the body) into gRPC (HTTP/2 with
// trailers) towards the service. A Worker's fetch() neither speaks HTTP/2 to a chosen server nor
// exposes response trailers, where gRPC carries grpc-status, so the translation cannot be done
// here: the config is refused rather than the middleware silently skipped.
import type { MiddlewareFactory } from "./types.ts";

export const grpcWeb: MiddlewareFactory<"grpcWeb"> = () =>
  "grpcWeb is not supported on Workers: fetch() cannot send gRPC (HTTP/2 with trailers) to a server or read the trailers back, which the gRPC-Web translation needs";
