/**
 * Sessions: the typed vocabulary every stage speaks (Session, SessionEvent, the six kinds), the taxonomy rule
 * table, parsing one enhanced record into a Session, file-name conventions, time zones. See README.md.
 */
export * from './coverage.js';
export * from './enhanced.js';
export * from './errors.js';
export * from './filename.js';
export * from './summary.js';
export * from './time.js';
export * from './types.js';
