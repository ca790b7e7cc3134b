// A request a pipeline service refuses (an unknown id, a name taken, a bad range), with its
// catalogued VIGIL_* code: the API edge turns the code into a status (api/errors.ts asApiError), so
// the services behind it know no HTTP.
export class ChangeRefused extends Error {
  constructor(
    readonly code: 'VIGIL_BAD_REQUEST' | 'VIGIL_CONFLICT' | 'VIGIL_NOT_FOUND',
    message: string,
  ) {
    super(message);
    this.name = 'ChangeRefused';
  }
}
