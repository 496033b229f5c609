/**
 * The one map from the engine's codes to an admin's words, shared with the CLI's tables: the file
 * lives in packages/roster/src/words (it imports nothing, so it bundles as it is) and its test there
 * fails when a code the server emits has no words.
 */
export * from '../../../roster/src/words/words.ts';
