/**
 * A problem the user can fix (bad config, a service not running, a login needed):
 * entry points print its message alone, as one clear sentence, with no stack trace.
 */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
