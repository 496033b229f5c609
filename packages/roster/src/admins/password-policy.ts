/** What a new admin password must satisfy, in one place for the API, the CLI and bootstrap. */
import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 12;
// scrypt's cost grows with input; a cap keeps a huge "password" from being a denial of service.
export const MAX_PASSWORD_LENGTH = 1024;

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
