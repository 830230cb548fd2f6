// Every test process runs in test mode with its logs quiet unless asked for.
process.env.APP_MODE ??= 'test';
process.env.LOG_LEVEL ??= 'silent';
