/** The shortest password Manabi accepts, for the account page and the command line alike. */
export const PASSWORD_MIN = 10;
/** Longer passwords are refused before hashing: hashing megabytes costs time and memory. */
export const PASSWORD_MAX = 200;
