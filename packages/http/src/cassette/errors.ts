import { TransportError } from '../errors.js';
import type { Request } from '../models/request.js';

/** A request in `replay` mode that no recorded episode matches; names the closest one and why it differs. */
export class CassetteMismatch extends TransportError {
  override name = 'CassetteMismatch';
  override readonly code: string = 'ERR_HTTP_CASSETTE_MISMATCH';
  /** Index of the closest episode in the cassette, or null when the cassette is empty. */
  readonly closestEpisode: number | null;
  /** One line per matcher that failed against the closest episode. */
  readonly differences: readonly string[];

  constructor(
    message: string,
    init: { request: Request; closestEpisode: number | null; differences: string[] },
  ) {
    super(message, { request: init.request });
    this.closestEpisode = init.closestEpisode;
    this.differences = init.differences;
  }
}
