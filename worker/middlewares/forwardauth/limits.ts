// forwardBody reads the request body into memory once (the same bytes go to the auth server and
// upstream). Traefik's maxBodySize -1 means no limit; a Worker's memory is limited, so this is the cap.
export const FORWARD_BODY_CEILING = 16 * 1024 * 1024;
