/** A state file that cannot be used as it is; the message names the file, nothing is changed. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`Zendesk sandbox state file ${file}: ${detail}`);
    this.name = 'StateFileError';
  }
}
