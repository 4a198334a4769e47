/**
 * The names the passport strategies register under, and AccessGuard asks for: one spelling of
 * each, so a renamed strategy cannot silently leave the guard asking for one that does not exist.
 */
export const JWT_STRATEGY = 'jwt';
export const API_KEY_STRATEGY = 'api-key';
