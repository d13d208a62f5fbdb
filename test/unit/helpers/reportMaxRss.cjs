// Preloaded (node -r) into a CLI run by tests: prints the process's peak resident memory on exit.
process.on('exit', () => process.stderr.write(`maxrss-kb ${process.resourceUsage().maxRSS}\n`));
