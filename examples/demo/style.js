// Colour for a human at a terminal only: piped or redirected output (and NO_COLOR) stays plain text.
import { styleText } from 'node:util';

/** @param {NodeJS.WriteStream} stream */
export function stylerFor(stream) {
  const enabled = stream.isTTY === true && !process.env.NO_COLOR;
  return (format, text) => (enabled ? styleText(format, text) : text);
}

export const formatNumber = (value) => Math.round(value).toLocaleString('en-US');

export const formatSeconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
