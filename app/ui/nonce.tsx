import { createContext, useContext } from "react";

/** The per-request CSP nonce, set by entry.server; empty in the browser (scripts are already there). */
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
