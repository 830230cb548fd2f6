import type { Caller } from './caller';

/**
 * Turns a bearer token into the caller it was issued to (or throws SESSION_EXPIRED). The auth module
 * provides it (SessionsService); the guard depends only on this, so common/ never imports a module.
 */
export abstract class SessionAuthenticator {
  abstract authenticate(token: string): Promise<Caller>;
}
