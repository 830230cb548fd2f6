import { Foundation1764000000000 } from './1764000000000-foundation';
import { LoginCodes1764100000000 } from './1764100000000-login-codes';

/** Every migration, in order. Classes, not globs, so bundling and tests see the same list. */
export const migrations = [Foundation1764000000000, LoginCodes1764100000000];
