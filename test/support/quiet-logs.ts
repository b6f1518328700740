// Imported first by the stack helpers: Powertools reads its level at construction and resets to it on every warm
// invocation, so a later setLogLevel does not hold. Handler logs stay out of the test output unless they are errors.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
