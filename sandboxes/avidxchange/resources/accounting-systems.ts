/** `GET /v1/accountingSystems` (§2.2): `Items[{ID, Name}]`, paged; the client matches by name. */
import { pagedReply } from "../envelopes.js";
import type { Handler } from "./call.js";
import { pageRequest } from "./call.js";

export const listAccountingSystems: Handler = (call) =>
  pagedReply(
    pageRequest(call, "accountingSystems", "accountingSystems"),
    call.ds.accountingSystems,
    (s) => ({
      ...s,
    }),
  );
